import "server-only";
import { authorize } from "@/lib/auth/session";
import type { AuthUser } from "@/lib/auth/types";
import { rolesFor, type Permission } from "@/lib/auth/permissions";
import { rowIdSchema } from "@/lib/input/text";
import type { Failure } from "@/lib/result";

/** What a refused action returns to the browser: any domain Failure, or the gate's own (not signed in, not allowed). */
export type ActionFailure = Failure;

const platformIdSchema = rowIdSchema();

/**
 * The first thing every server action of a platform does: check the platform
 * id's shape, then the role and the platform, then run. Unexpected errors are
 * logged and never reach the browser as text.
 */
export async function gated<T>(
  permission: Permission,
  platformId: unknown,
  run: (ctx: { platformId: string; user: AuthUser; actor: { id: string; email: string } }) => Promise<T>,
): Promise<T | ActionFailure> {
  const id = platformIdSchema.safeParse(platformId);
  if (!id.success) return { ok: false, code: "FORBIDDEN", message: "You do not have access to this." };
  const access = await authorize(rolesFor(permission), id.data);
  if (!access.ok) return access;
  try {
    return await run({ platformId: id.data, user: access.user, actor: { id: access.user.id, email: access.user.email } });
  } catch (error) {
    // Our errors never carry secret values (the secret is only ever passed encrypted to the database).
    console.error(`action ${permission} failed:`, (error as Error)?.message ?? String(error));
    return { ok: false, code: "UNEXPECTED", message: "Something went wrong on our side. Try again in a minute." };
  }
}

/**
 * The same for actions on the caller's own things, on no platform (their
 * notifications, their alert choices): the role, then run with the caller's
 * id; the domain scopes every read and write to that id.
 */
export async function gatedSelf<T>(
  permission: Permission,
  run: (ctx: { user: AuthUser; actor: { id: string; email: string } }) => Promise<T>,
): Promise<T | ActionFailure> {
  const access = await authorize(rolesFor(permission));
  if (!access.ok) return access;
  try {
    return await run({ user: access.user, actor: { id: access.user.id, email: access.user.email } });
  } catch (error) {
    console.error(`action ${permission} failed:`, (error as Error)?.message ?? String(error));
    return { ok: false, code: "UNEXPECTED", message: "Something went wrong on our side. Try again in a minute." };
  }
}
