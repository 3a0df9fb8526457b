"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/button";
import { UNREAD_QUERY_KEY } from "@/components/notification-bell";
import { markAllNotificationsReadAction, markNotificationReadAction } from "../actions";

function useAfterMarking() {
  const router = useRouter();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: UNREAD_QUERY_KEY });
    router.refresh();
  };
}

export function MarkReadButton({ notificationId, title }: { notificationId: string; title: string }) {
  const [pending, startTransition] = useTransition();
  const after = useAfterMarking();
  return (
    <Button
      variant="ghost"
      className="text-xs"
      disabled={pending}
      aria-label={`Mark as read: ${title}`}
      onClick={() =>
        startTransition(async () => {
          const result = await markNotificationReadAction({ notificationId });
          if (!result.ok) toast.error(result.message);
          else after();
        })
      }
    >
      {pending ? "Marking…" : "Mark as read"}
    </Button>
  );
}

/** Marks read what the page showed: notifications that arrived after `upTo` stay unread. */
export function MarkAllReadButton({ upTo, disabled }: { upTo: string; disabled: boolean }) {
  const [pending, startTransition] = useTransition();
  const after = useAfterMarking();
  return (
    <Button
      variant="secondary"
      disabled={disabled || pending}
      onClick={() =>
        startTransition(async () => {
          const result = await markAllNotificationsReadAction({ upTo });
          if (!result.ok) toast.error(result.message);
          else {
            toast.success(result.marked === 1 ? "1 notification marked as read." : `${result.marked} notifications marked as read.`);
            after();
          }
        })
      }
    >
      {pending ? "Marking…" : "Mark all as read"}
    </Button>
  );
}
