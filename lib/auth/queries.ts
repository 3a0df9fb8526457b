import "server-only";
import { db, Prisma } from "@/lib/db";
import type { AuthUser, SessionUser } from "@/lib/auth/types";
import { SIGN_IN_THROTTLE } from "@/lib/auth/throttle";

const authUserSelect = { id: true, email: true, name: true, role: true, platformId: true } as const;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserForSignIn(email: string) {
  return db.user.findUnique({
    where: { email: normaliseEmail(email) },
    select: { ...authUserSelect, passwordHash: true },
  });
}

/**
 * One query for every page view (the header shows the platform's name): a
 * nested Prisma select would load the platform with a second round trip.
 */
export async function findSessionUserById(id: string): Promise<SessionUser | null> {
  const [row] = await db.$queryRaw<SessionUser[]>`
    SELECT u."id", u."email", u."name", u."role"::text AS "role", u."platformId", p."name" AS "platformName"
      FROM "User" u LEFT JOIN "Platform" p ON p."id" = u."platformId"
     WHERE u."id" = ${id}`;
  return row ?? null;
}

export async function findAuthUserByEmail(email: string): Promise<AuthUser | null> {
  return db.user.findUnique({ where: { email: normaliseEmail(email) }, select: authUserSelect });
}

export async function platformExists(platformId: string): Promise<boolean> {
  return (await db.platform.count({ where: { id: platformId } })) > 0;
}

export interface LockedAccount {
  userId: string;
  email: string;
  name: string;
  role: string;
  failures: number;
  lockedUntil: Date | null;
  /** Whether sign-in is refused right now (else the next failure pauses it). */
  paused: boolean;
}

/**
 * Accounts whose sign-in is being held back (lib/auth/throttle.ts): past their
 * free failures, so each further failure locks them for longer — whether or
 * not the last lock has run out yet. A platform's users, or (platformId null)
 * staff accounts. For the unlock panel.
 */
export async function listLockedAccounts(platformId: string | null, now = new Date()): Promise<LockedAccount[]> {
  const since = new Date(now.getTime() - SIGN_IN_THROTTLE.ACCOUNT.forgetAfterMs);
  return db.$queryRaw<LockedAccount[]>`
    SELECT u."id" AS "userId", u."email", u."name", u."role"::text AS "role", t."failures", t."lockedUntil",
           coalesce(t."lockedUntil" > ${now}, false) AS "paused"
      FROM "SignInThrottle" t JOIN "User" u ON u."email" = t."subject"
     WHERE t."kind" = 'ACCOUNT' AND t."failures" >= ${SIGN_IN_THROTTLE.ACCOUNT.freeFailures} AND t."lastFailureAt" > ${since}
       AND ${platformId === null ? Prisma.sql`u."role" = 'CSM'` : Prisma.sql`u."platformId" = ${platformId}`}
     ORDER BY t."lockedUntil" DESC
     LIMIT 200`;
}
