import "server-only";
import { authorize, getSessionUser, type Denied } from "@/lib/auth/session";
import { recordAudit } from "@/lib/audit/mutations";
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
  if (!access.ok) return refused(access, permission, id.data);
  try {
    return await run({ platformId: id.data, user: access.user, actor: { id: access.user.id, email: access.user.email } });
  } catch (error) {
    // Our errors never carry secret values (the secret is only ever passed encrypted to the database).
    console.error(`action ${permission} failed:`, (error as Error)?.message ?? String(error));
    return { ok: false, code: "UNEXPECTED", message: "Something went wrong on our side. Try again in a minute." };
  }
}

/**
 * A signed-in person refused an action (a learner calling an admin action, an admin reaching into
 * another platform) is audited on their own platform's log: the permission asked for and whether the
 * target was their platform. Another platform's id is not written there, and nothing is written on the
 * other platform's log (its admins would learn a stranger's address). A failure to write the entry
 * never changes the answer.
 */
async function refused(denied: Denied, permission: Permission, platformId: string): Promise<Denied> {
  if (denied.code !== "FORBIDDEN") return denied;
  try {
    const user = await getSessionUser();
    if (user?.platformId) {
      const own = user.platformId === platformId;
      await recordAudit({
        platformId: user.platformId,
        actor: { id: user.id, email: user.email },
        action: "access.denied",
        targetType: "Platform",
        targetId: own ? platformId : undefined,
        details: { permission, role: user.role, target: own ? "this platform" : "another platform" },
      });
    }
  } catch (error) {
    console.error("could not audit a refused action:", (error as Error)?.message ?? String(error));
  }
  return denied;
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
