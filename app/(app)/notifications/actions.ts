"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { gatedSelf, type ActionFailure } from "@/lib/auth/gate";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/alerts/mutations";
import { rowIdSchema } from "@/lib/input/text";

const idSchema = z.object({ notificationId: rowIdSchema("Choose a notification.") });
const upToSchema = z.object({ upTo: z.iso.datetime() });

/** Marks one of the caller's notifications read. */
export async function markNotificationReadAction(input: { notificationId: string }): Promise<{ ok: true } | ActionFailure> {
  return gatedSelf("alerts.own", async (ctx) => {
    const parsed = idSchema.safeParse(input);
    if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: "Choose a notification." };
    const result = await markNotificationRead(ctx.user.id, parsed.data.notificationId);
    if (result.ok) revalidatePath("/notifications");
    return result;
  });
}

/** Marks read the caller's notifications up to the moment the page showed them (not those that arrived since). */
export async function markAllNotificationsReadAction(input: { upTo: string }): Promise<{ ok: true; marked: number } | ActionFailure> {
  return gatedSelf("alerts.own", async (ctx) => {
    const parsed = upToSchema.safeParse(input);
    if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: "Reload the page and try again." };
    const result = await markAllNotificationsRead(ctx.user.id, new Date(parsed.data.upTo));
    revalidatePath("/notifications");
    return result;
  });
}
