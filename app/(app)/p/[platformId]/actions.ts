"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { gated, type ActionFailure } from "@/lib/auth/gate";
import { unlockAccount } from "@/lib/auth/mutations";
import { rowIdSchema } from "@/lib/input/text";

const unlockSchema = z.object({ userId: rowIdSchema("Choose a user.") });

/** Lifts the sign-in lock of one of the platform's users (admins of the platform, CSMs); audited. */
export async function unlockAccountAction(
  platformId: string,
  input: { userId: string },
): Promise<{ ok: true; unlocked: boolean } | ActionFailure> {
  return gated("accounts.unlock", platformId, async (ctx) => {
    const parsed = unlockSchema.safeParse(input);
    if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: "Choose a user." };
    const result = await unlockAccount({ platformId: ctx.platformId, userId: parsed.data.userId, actor: ctx.actor });
    if (result.ok) revalidatePath(`/p/${ctx.platformId}`);
    return result;
  });
}
