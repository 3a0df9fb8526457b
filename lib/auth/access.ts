import "server-only";
import type { Role } from "@/lib/generated/prisma/enums";
import type { AuthUser } from "@/lib/auth/types";

/**
 * The one rule of tenancy: CSMs (our staff) reach every platform; admins and
 * learners reach only their own. Pure, so the permission matrix test can check
 * it exhaustively.
 */
export function canAccessPlatform(user: AuthUser, platformId: string, roles: readonly Role[]): boolean {
  if (!roles.includes(user.role)) return false;
  if (user.role === "CSM") return true;
  return user.platformId === platformId;
}

export const ADMIN_ROLES = ["ADMIN", "CSM"] as const satisfies readonly Role[];
