import "server-only";
import { db } from "@/lib/db";
import type { AuthUser, SessionUser } from "@/lib/auth/types";

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
