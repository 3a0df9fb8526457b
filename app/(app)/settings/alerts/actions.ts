"use server";

import { revalidatePath } from "next/cache";
import { gatedSelf, type ActionFailure } from "@/lib/auth/gate";
import { saveAlertPreferences } from "@/lib/alerts/mutations";
import type { AlertPreferencesInput } from "@/lib/alerts/schema";

/** The caller's own choices: which kinds of alert reach them in the app and by email. */
export async function saveAlertPreferencesAction(input: AlertPreferencesInput): Promise<{ ok: true } | ActionFailure> {
  return gatedSelf("alerts.own", async (ctx) => {
    const result = await saveAlertPreferences({
      userId: ctx.user.id,
      platformId: ctx.user.platformId,
      actor: ctx.actor,
      preferences: input,
    });
    if (result.ok) revalidatePath("/settings/alerts");
    return result;
  });
}
