import "server-only";
import { db, Prisma } from "@/lib/db";
import { recordAudit } from "@/lib/audit/mutations";
import { encryptSecret, decryptSecret } from "@/lib/crypto/secrets";
import { findPlatformGroup } from "@/lib/groups/queries";
import type { SyncStarter } from "@/lib/sync/runs";
import { checkCredentials, resolveCredentials } from "@/lib/connectors/test-connection";
import type { CredentialsInput } from "@/lib/connectors/schema";
import {
  computeGroupMoveImpact,
  getLastGroupMove,
  GROUP_MOVE_ACTIONS,
  mayUseOrg,
  otherPlatformsUsingOrg,
  type GroupMoveImpact,
} from "@/lib/connectors/queries";
import { checkOrgAvailable, ORG_IN_USE_MESSAGE, type OrgInUse } from "@/lib/connectors/org-sharing";
import type { Actor, Failure as Failure_ } from "@/lib/result";

/**
 * What CSMs and admins change on a platform's connector. Callers (server
 * actions) have already checked the role and the platform; every id that comes
 * from the browser is checked against the platform here.
 */

type Failure<C extends string> = Failure_<C> & {
  /** REJECTED_BY_COURSERA: Coursera's own code (BAD_CREDENTIALS, UNKNOWN_ORG, …), for the alerts. */
  courseraCode?: string;
};

/**
 * Enables the connector on a group of the platform (CSM). Creates the connector
 * row the first time. An enabled connector's group is moved with moveSyncGroup
 * (after the review of its impact), never here: enabling it again on another
 * group is refused.
 */
export async function enableConnector(input: {
  platformId: string;
  syncGroupId: string;
  actor: Actor;
}): Promise<{ ok: true } | Failure<"GROUP_NOT_FOUND" | "ALREADY_ENABLED">> {
  const group = await findPlatformGroup(input.platformId, input.syncGroupId);
  if (!group) return { ok: false, code: "GROUP_NOT_FOUND", message: "Choose a group of this platform." };
  return db.$transaction(async (tx) => {
    const before = await tx.courseraConnector.findUnique({
      where: { platformId: input.platformId },
      select: { enabled: true, syncGroupId: true },
    });
    if (before?.enabled) {
      return before.syncGroupId === group.id
        ? { ok: true as const }
        : {
            ok: false as const,
            code: "ALREADY_ENABLED" as const,
            message: "The connector is already enabled. Move its synchronized group from the connector page, after reviewing what changes.",
          };
    }
    const now = new Date();
    await tx.courseraConnector.upsert({
      where: { platformId: input.platformId },
      create: { platformId: input.platformId, enabled: true, enabledAt: now, enabledById: input.actor.id, syncGroupId: group.id },
      update: { enabled: true, syncGroupId: group.id, enabledAt: now, enabledById: input.actor.id },
    });
    await recordAudit(
      {
        platformId: input.platformId,
        actor: input.actor,
        action: "connector.enabled",
        targetType: "Group",
        targetId: group.id,
        details: { groupName: group.name },
      },
      tx,
    );
    return { ok: true as const };
  });
}

/** Disables the connector (CSM). Nothing is deleted: courses stop being visible, syncs stop. */
export async function disableConnector(input: { platformId: string; actor: Actor }): Promise<{ ok: true } | Failure<"NOT_ENABLED">> {
  const { count } = await db.courseraConnector.updateMany({
    where: { platformId: input.platformId, enabled: true },
    data: { enabled: false },
  });
  if (count === 0) return { ok: false, code: "NOT_ENABLED", message: "The connector is already disabled." };
  await recordAudit({
    platformId: input.platformId,
    actor: input.actor,
    action: "connector.disabled",
    targetType: "Platform",
    targetId: input.platformId,
  });
  return { ok: true };
}

type MoveFailure =
  | Failure<"GROUP_NOT_FOUND" | "NO_CONNECTOR" | "NOT_UNDOABLE">
  | { ok: false; code: "IMPACT_CHANGED"; message: string; impact: GroupMoveImpact };

export type MoveResult = { ok: true; changed: false } | { ok: true; changed: true; auditId: string; impact: GroupMoveImpact } | MoveFailure;

const IMPACT_CHANGED_MESSAGE =
  "What this move changes is no longer what you reviewed: the group tree or its members changed in the meantime. Review the new summary, then confirm again.";

/** The connector row, locked: two moves of one connector take turns, so the impact checked is the impact applied. */
async function lockConnector(tx: Prisma.TransactionClient, platformId: string) {
  const rows = await tx.$queryRaw<{ id: string; syncGroupId: string | null }[]>`
    SELECT "id", "syncGroupId" FROM "CourseraConnector" WHERE "platformId" = ${platformId} FOR UPDATE`;
  return rows[0] ?? null;
}

function moveDetails(impact: GroupMoveImpact) {
  return {
    fromGroupId: impact.fromGroup?.id ?? null,
    fromGroupName: impact.fromGroup?.name ?? null,
    toGroupId: impact.toGroup.id,
    groupName: impact.toGroup.name,
    groupsGaining: impact.gaining.length,
    groupsLosing: impact.losing.length,
    learnersLosing: impact.learnersLosing,
    learnersLosingInProgress: impact.learnersLosingInProgress,
    learnersGaining: impact.learnersGaining,
  };
}

/**
 * Moves the synchronized group (CSM); the courses follow at once (visibility
 * is computed from the live tree). With `expectedImpact` (the fingerprint of
 * the summary the CSM confirmed), the move happens only when the impact is
 * still that one; otherwise the new impact is returned for another review.
 * Audited with the groups and the counts of the impact.
 */
export async function moveSyncGroup(input: {
  platformId: string;
  syncGroupId: string;
  actor: Actor;
  expectedImpact?: string;
}): Promise<MoveResult> {
  return db.$transaction(async (tx) => {
    const connector = await lockConnector(tx, input.platformId);
    const impact = await computeGroupMoveImpact(input.platformId, input.syncGroupId, tx);
    if (!impact) return { ok: false, code: "GROUP_NOT_FOUND", message: "Choose a group of this platform." };
    if (!connector) return { ok: false, code: "NO_CONNECTOR", message: "Enable the connector first." };
    if (connector.syncGroupId === impact.toGroup.id) return { ok: true, changed: false };
    return applyReviewedMove(tx, connector.id, impact, input, {
      action: GROUP_MOVE_ACTIONS.moved,
      targetType: "Group",
      targetId: impact.toGroup.id,
    });
  });
}

/**
 * A move or an undo, once its impact is known: applied only when it is the
 * impact the CSM reviewed (`expectedImpact`, its fingerprint), then audited.
 */
async function applyReviewedMove(
  tx: Prisma.TransactionClient,
  connectorId: string,
  impact: GroupMoveImpact,
  input: { platformId: string; actor: Actor; expectedImpact?: string },
  audit: { action: string; targetType: string; targetId: string },
): Promise<MoveResult> {
  if (input.expectedImpact !== undefined && input.expectedImpact !== impact.fingerprint)
    return { ok: false, code: "IMPACT_CHANGED", message: IMPACT_CHANGED_MESSAGE, impact };
  await tx.courseraConnector.update({ where: { id: connectorId }, data: { syncGroupId: impact.toGroup.id } });
  const auditId = await recordAudit({ platformId: input.platformId, actor: input.actor, ...audit, details: moveDetails(impact) }, tx);
  return { ok: true, changed: true, auditId, impact };
}

/** The impact of undoing the platform's last group move (moving back to the group it left), or why it cannot be undone. */
export async function undoImpact(
  platformId: string,
  auditId: string,
  tx: Prisma.TransactionClient = db,
): Promise<{ ok: true; impact: GroupMoveImpact } | Failure<"NOT_UNDOABLE">> {
  const last = await getLastGroupMove(platformId, new Date(), tx);
  if (!last || last.auditId !== auditId)
    return { ok: false, code: "NOT_UNDOABLE", message: "Only the last move of the synchronized group can be undone." };
  if (last.reason || !last.fromGroup)
    return { ok: false, code: "NOT_UNDOABLE", message: last.reason ?? "There is no group to go back to." };
  const impact = await computeGroupMoveImpact(platformId, last.fromGroup.id, tx);
  if (!impact) return { ok: false, code: "NOT_UNDOABLE", message: "The previous group no longer exists." };
  return { ok: true, impact };
}

/**
 * Undoes the platform's last move of the synchronized group (CSM): moves it
 * back to the group it left, under the conditions of getLastGroupMove, and
 * with the same review of the impact as a move. Audited as an undo that names
 * the move it reverts (targetId: that audit entry).
 */
export async function undoSyncGroupMove(input: {
  platformId: string;
  auditId: string;
  actor: Actor;
  expectedImpact?: string;
}): Promise<MoveResult> {
  return db.$transaction(async (tx) => {
    const connector = await lockConnector(tx, input.platformId);
    if (!connector) return { ok: false, code: "NO_CONNECTOR", message: "Enable the connector first." };
    const undo = await undoImpact(input.platformId, input.auditId, tx);
    if (!undo.ok) return undo;
    const { impact } = undo;
    return applyReviewedMove(tx, connector.id, impact, input, {
      action: GROUP_MOVE_ACTIONS.undone,
      targetType: "AuditLog",
      targetId: input.auditId,
    });
  });
}

/** Coursera's answers that refuse the credentials themselves (lib/coursera/errors.ts). */
const COURSERA_REFUSALS = new Set(["BAD_CREDENTIALS", "UNKNOWN_ORG", "API_ACCESS_DISABLED"]);

export type SaveCredentialsResult =
  | {
      ok: true;
      changed: boolean;
      /** The catalogue sync started because the credentials changed, when the connector is enabled. */
      runId: string | null;
      /** Why no sync started although the credentials changed (connector disabled, queue down). */
      syncNotice: string | null;
    }
  | Failure<"INVALID_INPUT" | "SECRET_REQUIRED" | "REJECTED_BY_COURSERA">
  | OrgInUse;

/**
 * Saves the Coursera credentials (admin or CSM). A blank secret keeps the
 * stored one. The values are checked against Coursera first (saving
 * credentials that Coursera refuses helps nobody); when they are new or
 * changed and the connector is enabled, the catalogue sync starts at once.
 * The audit entry says what changed, never a value.
 */
export async function saveCredentials(input: {
  platformId: string;
  credentials: CredentialsInput;
  actor: Actor;
  verify?: boolean;
  /** Starts the catalogue sync new credentials call for (the job layer's requestSync). */
  startSync: SyncStarter;
  /** The caller may allow an organisation another platform uses (a CSM: the caller checked the role). */
  canAllowSharedOrg?: boolean;
  /** …and does, deliberately, for this save. Ignored unless canAllowSharedOrg. */
  allowSharedOrg?: boolean;
}): Promise<SaveCredentialsResult> {
  const resolved = await resolveCredentials(input.platformId, input.credentials);
  if (!resolved.ok) {
    return {
      ok: false,
      code: resolved.code === "SECRET_REQUIRED" ? "SECRET_REQUIRED" : "INVALID_INPUT",
      message: resolved.message,
      fieldErrors: resolved.fieldErrors,
    };
  }
  const canAllow = input.canAllowSharedOrg === true;
  const allowShared = canAllow && input.allowSharedOrg === true;
  let sharedWith: { platformId: string; platformName: string }[] = [];
  if (!allowShared) {
    const available = await checkOrgAvailable({ platformId: input.platformId, orgId: resolved.orgId, canAllowSharedOrg: canAllow });
    if (!available.ok) return available;
  } else {
    sharedWith = await otherPlatformsUsingOrg(resolved.orgId, input.platformId);
  }
  if (input.verify !== false) {
    const check = await checkCredentials(resolved);
    if (!check.ok) {
      // A save Coursera refused is worth knowing about (a mistyped secret, a revoked client, someone
      // guessing): what Coursera answered, never a value of the client id or secret. Coursera
      // unreachable is not a refusal and is not recorded.
      if (COURSERA_REFUSALS.has(check.code))
        await recordAudit({
          platformId: input.platformId,
          actor: input.actor,
          action: "credentials.rejected",
          targetType: "CourseraConnector",
          details: { orgId: resolved.orgId, courseraCode: check.code, field: check.field, secretFromForm: resolved.secretFromForm },
        });
      return { ok: false, code: "REJECTED_BY_COURSERA", message: check.message, fieldErrors: check.fieldErrors, courseraCode: check.code };
    }
  }

  const before = await db.courseraConnector.findUnique({
    where: { platformId: input.platformId },
    select: { id: true, enabled: true, orgId: true, clientId: true, clientSecretEncrypted: true, sharedOrgAllowedFor: true },
  });
  const orgIdChanged = before?.orgId !== resolved.orgId;
  const clientIdChanged = before?.clientId !== resolved.clientId;
  // Compared in memory only: re-typing the same secret is not a change.
  const secretChanged =
    resolved.secretFromForm && (!before?.clientSecretEncrypted || decryptSecret(before.clientSecretEncrypted) !== resolved.clientSecret);
  // A CSM allowing a shared organisation that was not allowed yet is a change of its own.
  const allowanceNew = allowShared && sharedWith.length > 0 && before?.sharedOrgAllowedFor !== resolved.orgId;
  const changed = orgIdChanged || clientIdChanged || secretChanged || allowanceNew;
  if (!changed) return { ok: true, changed: false, runId: null, syncNotice: null };

  const now = new Date();
  const secretData = secretChanged
    ? { clientSecretEncrypted: encryptSecret(resolved.clientSecret), clientSecretLast4: resolved.clientSecret.slice(-4) }
    : {};
  const allowanceData = allowanceNew
    ? { sharedOrgAllowedFor: resolved.orgId, sharedOrgAllowedById: input.actor.id, sharedOrgAllowedAt: now }
    : {};
  const connector = await db.$transaction(async (tx) => {
    // Two platforms saving the same organisation at once: one waits for the other, then checks again.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`coursera-org:${resolved.orgId.toLowerCase()}`}))`;
    if (!allowShared && !(await mayUseOrg(input.platformId, resolved.orgId, tx))) return null;
    const saved = await tx.courseraConnector.upsert({
      where: { platformId: input.platformId },
      create: {
        platformId: input.platformId,
        orgId: resolved.orgId,
        clientId: resolved.clientId,
        ...secretData,
        ...allowanceData,
        credentialsUpdatedAt: now,
        credentialsUpdatedById: input.actor.id,
      },
      update: {
        orgId: resolved.orgId,
        clientId: resolved.clientId,
        ...secretData,
        ...allowanceData,
        credentialsUpdatedAt: now,
        credentialsUpdatedById: input.actor.id,
      },
      select: { id: true, enabled: true },
    });
    await recordAudit(
      {
        platformId: input.platformId,
        actor: input.actor,
        action: "credentials.replaced",
        targetType: "CourseraConnector",
        targetId: saved.id,
        details: { first: !before?.clientSecretEncrypted, orgIdChanged, clientIdChanged, secretChanged },
      },
      tx,
    );
    if (allowanceNew) {
      // On this platform and on each platform already connected to the organisation: its admins see that it is shared.
      for (const platformId of [input.platformId, ...sharedWith.map((o) => o.platformId)]) {
        await recordAudit(
          {
            platformId,
            actor: input.actor,
            action: "credentials.shared_org_allowed",
            targetType: "CourseraConnector",
            targetId: saved.id,
            details: { orgId: resolved.orgId, platformId: input.platformId, sharedWith: sharedWith.map((o) => o.platformId) },
          },
          tx,
        );
      }
    }
    return saved;
  });
  if (connector === null) {
    const message = canAllow
      ? "Another platform connected this Coursera organisation meanwhile. Save again to see which."
      : ORG_IN_USE_MESSAGE;
    return { ok: false, code: "ORG_IN_USE", message, fieldErrors: { orgId: message }, canAllowSharedOrg: canAllow };
  }

  if (!connector.enabled) {
    return {
      ok: true,
      changed: true,
      runId: null,
      syncNotice: "The catalogue sync will start once customer success enables the connector.",
    };
  }
  const sync = await input.startSync({ connectorId: connector.id, kind: "CATALOGUE", trigger: "CREDENTIALS", triggeredBy: input.actor });
  if (!sync.ok) return { ok: true, changed: true, runId: null, syncNotice: sync.message };
  return { ok: true, changed: true, runId: sync.runId, syncNotice: null };
}
