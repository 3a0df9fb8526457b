import "server-only";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { forbidden, notFound, redirect } from "next/navigation";
import { authOptions } from "@/lib/auth/options";
import { canAccessPlatform } from "@/lib/auth/access";
import { findSessionUserById, platformExists } from "@/lib/auth/queries";
import type { SessionUser } from "@/lib/auth/types";
import type { Role } from "@/lib/generated/prisma/enums";
import { isRowId } from "@/lib/input/text";

/**
 * Gates for pages, server actions and route handlers. The session only carries
 * the user id; role and platform are read from the database on every request,
 * so a demoted or deleted user loses access at once.
 */
// Cached per request: the layouts and the page of one render all ask, and should read the user once.
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  return findSessionUserById(id);
});

// The layout and the page of one render both check the platform: one query.
const platformExistsOnce = cache(platformExists);

/** Pages: signed-out visitors go to the sign-in page. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  return user;
}

/** Pages: the wrong role gets the 403 page. */
export async function requireRole(...roles: Role[]): Promise<SessionUser> {
  const user = await requireUser();
  if (!roles.includes(user.role)) forbidden();
  return user;
}

/**
 * Pages: the wrong role gets 403; an admin asking for another platform gets
 * 404, so that the existence of other customers is not revealed.
 */
export async function requirePlatformAccess(platformId: string, roles: Role[] = ["ADMIN", "CSM"]): Promise<SessionUser> {
  const user = await requireRole(...roles);
  // Not the shape of any id: no such platform, without asking the database (which refuses some text).
  if (!isRowId(platformId) || !canAccessPlatform(user, platformId, roles)) notFound();
  // A user's own platform exists (User.platformId is a cascading foreign key); a CSM may name any id.
  if (user.platformId !== platformId && !(await platformExistsOnce(platformId))) notFound();
  return user;
}

export type Denied = { ok: false; code: "UNAUTHENTICATED" | "FORBIDDEN"; message: string };

/**
 * Server actions and route handlers: the same checks, returned as a value
 * instead of a redirect. Another platform's ids get FORBIDDEN, never data.
 */
export async function authorize(roles: Role[], platformId?: string): Promise<{ ok: true; user: SessionUser } | Denied> {
  const user = await getSessionUser();
  if (!user) return { ok: false, code: "UNAUTHENTICATED", message: "Sign in again to continue." };
  const allowed = platformId === undefined ? roles.includes(user.role) : isRowId(platformId) && canAccessPlatform(user, platformId, roles);
  if (!allowed) return { ok: false, code: "FORBIDDEN", message: "You do not have access to this." };
  return { ok: true, user };
}

export function deniedResponse(denied: Denied): Response {
  return Response.json({ error: denied.code, message: denied.message }, { status: denied.code === "UNAUTHENTICATED" ? 401 : 403 });
}
