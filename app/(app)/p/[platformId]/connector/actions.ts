"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  disableConnector,
  enableConnector,
  moveSyncGroup,
  saveCredentials,
  undoSyncGroupMove,
  type MoveResult,
} from "@/lib/connectors/mutations";
import { testConnection, type ConnectionCheck } from "@/lib/connectors/test-connection";
import { moveSyncGroupSchema, syncGroupSchema, undoGroupMoveSchema, type CredentialsInput } from "@/lib/connectors/schema";
import { gated, type ActionFailure } from "@/lib/auth/gate";
import { reportCredentialsCheck, requestAlertCheck, requestSync } from "@/inngest/dispatch";
import { saveSchedule } from "@/lib/schedules/mutations";
import type { ScheduleInput } from "@/lib/schedules/schema";
import { rolesFor } from "@/lib/auth/permissions";
import { previewSelection, saveImportSelection, type PreviewResult, type SaveSelectionResult } from "@/lib/catalogue/selection-mutations";

// Only the shape is checked here; the domain validates the values (one schema, lib/connectors/schema.ts).
const credentialsShape = z.object({
  orgId: z.string().max(1000),
  clientId: z.string().max(1000),
  clientSecret: z.string().max(1000),
  allowSharedOrg: z.boolean().optional(),
});

function revalidateConnector(platformId: string) {
  revalidatePath(`/p/${platformId}`, "layout");
  revalidatePath("/platforms");
  revalidatePath("/fleet");
}

export async function enableConnectorAction(platformId: string, input: { groupId: string }): Promise<{ ok: true } | ActionFailure> {
  return gated("connector.enable", platformId, async (ctx) => {
    const parsed = syncGroupSchema.safeParse(input);
    if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: "Choose a group." };
    const result = await enableConnector({ platformId: ctx.platformId, syncGroupId: parsed.data.groupId, actor: ctx.actor });
    if (result.ok) {
      revalidateConnector(ctx.platformId);
      await requestAlertCheck({ platformId: ctx.platformId });
    }
    return result;
  });
}

export async function disableConnectorAction(platformId: string): Promise<{ ok: true } | ActionFailure> {
  return gated("connector.disable", platformId, async (ctx) => {
    const result = await disableConnector({ platformId: ctx.platformId, actor: ctx.actor });
    if (result.ok) {
      revalidateConnector(ctx.platformId);
      // A disabled connector's open alerts close.
      await requestAlertCheck({ platformId: ctx.platformId });
    }
    return result;
  });
}

/**
 * Moves the synchronized group, as confirmed on the summary of its impact
 * (`impact`: the summary's fingerprint, from the move-impact route). When the
 * impact changed in the meantime nothing moves, and the new impact comes back
 * for another review.
 */
export async function moveSyncGroupAction(
  platformId: string,
  input: { groupId: string; impact: string },
): Promise<MoveResult | ActionFailure> {
  return gated("connector.syncGroup", platformId, async (ctx) => {
    const parsed = moveSyncGroupSchema.safeParse(input);
    if (!parsed.success)
      return {
        ok: false,
        code: "INVALID_INPUT",
        message: parsed.error.issues.find((i) => i.path.length > 0)?.message ?? "Choose a group.",
      };
    const result = await moveSyncGroup({
      platformId: ctx.platformId,
      syncGroupId: parsed.data.groupId,
      expectedImpact: parsed.data.impact,
      actor: ctx.actor,
    });
    if (result.ok && result.changed) revalidateConnector(ctx.platformId);
    return result;
  });
}

/** Undoes the platform's last move of the synchronized group (from the connector page or the audit log), after the same review. */
export async function undoSyncGroupMoveAction(
  platformId: string,
  input: { auditId: string; impact: string },
): Promise<MoveResult | ActionFailure> {
  return gated("connector.syncGroup", platformId, async (ctx) => {
    const parsed = undoGroupMoveSchema.safeParse(input);
    if (!parsed.success)
      return {
        ok: false,
        code: "INVALID_INPUT",
        message: parsed.error.issues.find((i) => i.path.length > 0)?.message ?? "This move cannot be undone.",
      };
    const result = await undoSyncGroupMove({
      platformId: ctx.platformId,
      auditId: parsed.data.auditId,
      expectedImpact: parsed.data.impact,
      actor: ctx.actor,
    });
    if (result.ok && result.changed) revalidateConnector(ctx.platformId);
    return result;
  });
}

export async function testConnectionAction(platformId: string, input: CredentialsInput): Promise<ConnectionCheck | ActionFailure> {
  return gated("credentials.test", platformId, async (ctx) => {
    const shape = credentialsShape.safeParse(input);
    if (!shape.success) return { ok: false, code: "INVALID_INPUT", message: "Check the highlighted fields." };
    const result = await testConnection(ctx.platformId, shape.data, {
      canAllowSharedOrg: rolesFor("credentials.shareOrg").includes(ctx.user.role),
    });
    await reportCredentialsCheck(ctx.platformId, result.ok ? { ok: true } : { ok: false, code: result.code });
    return result;
  });
}

/**
 * Saves the credentials. `allowSharedOrg`: a CSM connects an organisation
 * another platform already uses, deliberately (audited on both platforms).
 */
export async function saveCredentialsAction(
  platformId: string,
  input: CredentialsInput & { allowSharedOrg?: boolean },
): Promise<
  { ok: true; changed: boolean; runId: string | null; syncNotice: string | null } | (ActionFailure & { canAllowSharedOrg?: boolean })
> {
  return gated("credentials.save", platformId, async (ctx) => {
    const shape = credentialsShape.safeParse(input);
    if (!shape.success) return { ok: false, code: "INVALID_INPUT", message: "Check the highlighted fields." };
    const canAllowSharedOrg = rolesFor("credentials.shareOrg").includes(ctx.user.role);
    if (shape.data.allowSharedOrg && !canAllowSharedOrg) {
      return { ok: false, code: "FORBIDDEN", message: "Only customer success can connect an organisation that another platform uses." };
    }
    const { allowSharedOrg, ...credentials } = shape.data;
    const result = await saveCredentials({
      platformId: ctx.platformId,
      credentials,
      actor: ctx.actor,
      startSync: requestSync,
      canAllowSharedOrg,
      allowSharedOrg,
    });
    if (result.ok && result.changed) revalidateConnector(ctx.platformId);
    if (result.ok) await reportCredentialsCheck(ctx.platformId, { ok: true });
    else if ("courseraCode" in result && result.courseraCode)
      await reportCredentialsCheck(ctx.platformId, { ok: false, code: result.courseraCode });
    return result;
  });
}

// Only the shape is checked here; lib/schedules/schema.ts validates the values.
const scheduleShape = z.object({
  timeZone: z.string().max(1000),
  catalogueTime: z.string().max(1000),
  statisticsTime: z.string().max(1000),
  staleAfterHours: z.string().max(1000),
});

export async function saveScheduleAction(
  platformId: string,
  input: ScheduleInput,
): Promise<{ ok: true; changed: boolean } | ActionFailure> {
  return gated("schedule.change", platformId, async (ctx) => {
    const shape = scheduleShape.safeParse(input);
    if (!shape.success) return { ok: false, code: "INVALID_INPUT", message: "Check the highlighted fields." };
    const result = await saveSchedule({ platformId: ctx.platformId, schedule: shape.data, actor: ctx.actor });
    if (result.ok && result.changed) {
      revalidateConnector(ctx.platformId);
      // The staleness threshold may have moved.
      await requestAlertCheck({ platformId: ctx.platformId });
    }
    return result;
  });
}

/** The dry run of an import selection: what the next catalogue sync would add, retire and keep. Writes nothing. */
export async function previewImportSelectionAction(platformId: string, selection: unknown): Promise<PreviewResult | ActionFailure> {
  return gated("catalogue.selection", platformId, (ctx) => previewSelection(ctx.platformId, selection));
}

/**
 * Saves the import selection, as confirmed on its dry run (`impact`: the
 * preview's fingerprint); a catalogue sync then applies it. When the figures
 * changed in the meantime nothing is saved, and the new ones come back.
 */
export async function saveImportSelectionAction(
  platformId: string,
  input: { selection: unknown; impact: string },
): Promise<SaveSelectionResult | ActionFailure> {
  return gated("catalogue.selection", platformId, async (ctx) => {
    if (typeof input?.impact !== "string" || input.impact.length > 100) {
      return { ok: false, code: "INVALID_INPUT", message: "Preview the change before saving it." };
    }
    const result = await saveImportSelection({
      platformId: ctx.platformId,
      selection: input.selection,
      expectedImpact: input.impact,
      actor: ctx.actor,
      startSync: requestSync,
    });
    if (result.ok && result.changed) revalidateConnector(ctx.platformId);
    return result;
  });
}
