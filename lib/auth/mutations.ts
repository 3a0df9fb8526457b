import "server-only";
import { db, Prisma } from "@/lib/db";
import { recordAudit } from "@/lib/audit/mutations";
import { lockDelayMs, SIGN_IN_THROTTLE, type ThrottleKey } from "@/lib/auth/throttle";

/** Sign-in throttling's writes (policy: lib/auth/throttle.ts). */

export interface SignInReservation {
  keys: ThrottleKey[];
}

/**
 * Counts a sign-in attempt as a failure before the password is checked, so
 * that attempts sent in parallel cannot all pass while nothing is counted yet;
 * a success then takes it back (signInSucceeded). While any key is locked the
 * attempt is refused — and still counted, so hammering a lock only makes it
 * longer (up to the cap). Rows are locked in a fixed order, so two processes
 * counting the same keys never deadlock.
 */
export async function reserveSignInAttempt(
  keys: ThrottleKey[],
  now = new Date(),
): Promise<{ locked: true } | { locked: false; delayMs: number; reservation: SignInReservation }> {
  const ordered = [...keys].sort((a, b) => (a.kind + a.subject < b.kind + b.subject ? -1 : 1));
  return db.$transaction(async (tx) => {
    const rows: { key: ThrottleKey; failures: number; lastFailureAt: Date; lockedUntil: Date | null }[] = [];
    for (const key of ordered) {
      await tx.$executeRaw`
        INSERT INTO "SignInThrottle" ("kind", "subject", "failures", "lastFailureAt")
        VALUES (${key.kind}::"SignInThrottleKind", ${key.subject}, 0, ${now})
        ON CONFLICT ("kind", "subject") DO NOTHING`;
      const [row] = await tx.$queryRaw<{ failures: number; lastFailureAt: Date; lockedUntil: Date | null }[]>`
        SELECT "failures", "lastFailureAt", "lockedUntil" FROM "SignInThrottle"
         WHERE "kind" = ${key.kind}::"SignInThrottleKind" AND "subject" = ${key.subject}
         FOR UPDATE`;
      rows.push({ key, ...row });
    }
    const locked = rows.some((r) => r.lockedUntil !== null && r.lockedUntil.getTime() > now.getTime());
    let delayMs = 0;
    for (const row of rows) {
      const forgotten = now.getTime() - row.lastFailureAt.getTime() > SIGN_IN_THROTTLE[row.key.kind].forgetAfterMs;
      const failures = (forgotten ? 0 : row.failures) + 1;
      const delay = lockDelayMs(row.key.kind, failures);
      delayMs = Math.max(delayMs, delay);
      const until = delay > 0 ? new Date(now.getTime() + delay) : null;
      await tx.$executeRaw`
        UPDATE "SignInThrottle"
           SET "failures" = ${failures}, "lastFailureAt" = ${now},
               "lockedUntil" = GREATEST(CASE WHEN "lockedUntil" > ${now} THEN "lockedUntil" END, ${until}::timestamp(3))
         WHERE "kind" = ${row.key.kind}::"SignInThrottleKind" AND "subject" = ${row.key.subject}`;
    }
    if (locked) return { locked: true as const };
    return { locked: false as const, delayMs, reservation: { keys: ordered } };
  });
}

/**
 * The password was right: the account starts afresh; the address gets back
 * the one failure its reservation counted (and loses a lock that failure set,
 * if it is below the free failures again), nothing more.
 */
export async function signInSucceeded(reservation: SignInReservation): Promise<void> {
  for (const key of reservation.keys) {
    if (key.kind === "ACCOUNT") {
      await db.signInThrottle.deleteMany({ where: { kind: "ACCOUNT", subject: key.subject } });
    } else {
      await db.$executeRaw`
        UPDATE "SignInThrottle"
           SET "failures" = GREATEST(0, "failures" - 1),
               "lockedUntil" = CASE WHEN "failures" - 1 < ${SIGN_IN_THROTTLE.ADDRESS.freeFailures} THEN NULL ELSE "lockedUntil" END
         WHERE "kind" = 'ADDRESS' AND "subject" = ${key.subject}`;
    }
  }
}

/**
 * Lifts an account's sign-in lock and forgets its failures (admin of the
 * user's platform, or CSM: the caller checked the role; `platformId` null
 * means a staff account, for CSMs). Audited on the user's platform.
 */
export async function unlockAccount(input: {
  platformId: string | null;
  userId: string;
  actor: { id: string; email: string };
}): Promise<{ ok: true; unlocked: boolean } | { ok: false; code: "USER_NOT_FOUND"; message: string }> {
  const user = await db.user.findFirst({
    where: input.platformId === null ? { id: input.userId, role: "CSM" } : { id: input.userId, platformId: input.platformId },
    select: { id: true, email: true },
  });
  if (!user) return { ok: false, code: "USER_NOT_FOUND", message: "This person is not a user of this platform." };
  return db.$transaction(async (tx) => {
    const { count } = await tx.signInThrottle.deleteMany({ where: { kind: "ACCOUNT", subject: user.email } });
    await recordAudit(
      {
        platformId: input.platformId,
        actor: input.actor,
        action: "account.unlocked",
        targetType: "User",
        targetId: user.id,
        details: { email: user.email, hadFailures: count > 0 },
      },
      tx as Prisma.TransactionClient,
    );
    return { ok: true as const, unlocked: count > 0 };
  });
}
