import { db } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  platformId: string | null;
}

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

export async function findAuthUserById(id: string): Promise<AuthUser | null> {
  return db.user.findUnique({ where: { id }, select: authUserSelect });
}

export async function findAuthUserByEmail(email: string): Promise<AuthUser | null> {
  return db.user.findUnique({ where: { email: normaliseEmail(email) }, select: authUserSelect });
}

export async function platformExists(platformId: string): Promise<boolean> {
  return (await db.platform.count({ where: { id: platformId } })) > 0;
}
