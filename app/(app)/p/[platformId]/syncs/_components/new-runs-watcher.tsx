"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import type { SyncKind } from "@/lib/generated/prisma/enums";

/** How often the open history looks for runs started elsewhere: a new run shows within this, plus a render. */
const POLL_MS = 5000;

async function fetchRunIds(platformId: string, kind: SyncKind | undefined): Promise<string[]> {
  const response = await fetch(`/api/platforms/${platformId}/syncs${kind ? `?kind=${kind}` : ""}`, { cache: "no-store" });
  if (!response.ok) throw new Error(`runs ${response.status}`);
  return ((await response.json()) as { runIds: string[] }).runIds;
}

/**
 * Brings a run started elsewhere (the schedule, another admin, the first sync
 * after credentials) into the open history's first page without a reload: it
 * polls the page's run ids while the tab is visible (TanStack Query pauses
 * the interval in a background tab) and refreshes the server-rendered page
 * when one is not shown. Renders nothing.
 */
export function NewRunsWatcher({ platformId, kind, shownRunIds }: { platformId: string; kind?: SyncKind; shownRunIds: string[] }) {
  const router = useRouter();
  const { data, dataUpdatedAt } = useQuery({
    queryKey: ["sync-run-ids", platformId, kind ?? "ALL"],
    queryFn: () => fetchRunIds(platformId, kind),
    refetchInterval: POLL_MS,
  });
  const shown = shownRunIds.join(" ");
  useEffect(() => {
    // Checked on every answer, not only on a changed one: a refresh dropped by a navigation is asked for again.
    const onPage = new Set(shown.split(" "));
    if (data?.some((id) => !onPage.has(id))) router.refresh();
  }, [data, dataUpdatedAt, shown, router]);
  return null;
}
