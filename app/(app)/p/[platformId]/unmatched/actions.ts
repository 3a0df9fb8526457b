"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { dismissUnmatched, linkUnmatchedIdentity } from "@/lib/statistics/mutations";
import { gated, type ActionFailure } from "@/lib/auth/gate";
import { requestAlertCheck } from "@/inngest/dispatch";
import { rowIdSchema, storableString } from "@/lib/input/text";

const identityKey = storableString().trim().min(1).max(500);
const linkSchema = z.object({ identityKey, userId: rowIdSchema() });
const dismissSchema = z.object({ identityKey });

async function afterInboxChange(platformId: string) {
  revalidatePath(`/p/${platformId}/unmatched`);
  revalidatePath(`/p/${platformId}/statistics`);
  revalidatePath(`/p/${platformId}`);
  // An emptied inbox closes its review alert.
  await requestAlertCheck({ platformId });
}

/** Links a Coursera identity to a user of the platform (the user is checked against the platform by the domain). */
export async function linkIdentityAction(
  platformId: string,
  input: { identityKey: string; userId: string },
): Promise<{ ok: true; applied: number; stillHeld: number } | ActionFailure> {
  return gated("unmatched.link", platformId, async (ctx) => {
    const parsed = linkSchema.safeParse(input);
    if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: "Choose a user." };
    const result = await linkUnmatchedIdentity({ platformId: ctx.platformId, ...parsed.data, actor: ctx.actor });
    if (result.ok) await afterInboxChange(ctx.platformId);
    return result;
  });
}

export async function dismissIdentityAction(
  platformId: string,
  input: { identityKey: string },
): Promise<{ ok: true; dismissed: number } | ActionFailure> {
  return gated("unmatched.link", platformId, async (ctx) => {
    const parsed = dismissSchema.safeParse(input);
    if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: "Choose a record." };
    const result = await dismissUnmatched({ platformId: ctx.platformId, identityKey: parsed.data.identityKey, actor: ctx.actor });
    if (result.ok) await afterInboxChange(ctx.platformId);
    return result;
  });
}
