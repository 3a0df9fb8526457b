"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorize } from "@/lib/auth/session";
import type { ActionFailure } from "@/lib/auth/gate";
import { unlockAccount } from "@/lib/auth/mutations";
import { rowIdSchema } from "@/lib/input/text";

const unlockSchema = z.object({ userId: rowIdSchema("Choose a user.") });

/** Lifts the sign-in lock of a staff (CSM) account: CSMs only; audited. */
export async function unlockStaffAccountAction(input: { userId: string }): Promise<{ ok: true; unlocked: boolean } | ActionFailure> {
  const access = await authorize(["CSM"]);
  if (!access.ok) return access;
  const parsed = unlockSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: "Choose a user." };
  try {
    const result = await unlockAccount({
      platformId: null,
      userId: parsed.data.userId,
      actor: { id: access.user.id, email: access.user.email },
    });
    if (result.ok) revalidatePath("/platforms");
    return result;
  } catch (error) {
    console.error("action accounts.unlockStaff failed:", (error as Error)?.message ?? String(error));
    return { ok: false, code: "UNEXPECTED", message: "Something went wrong on our side. Try again in a minute." };
  }
}
