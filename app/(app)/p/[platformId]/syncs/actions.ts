"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getConnectorSettings } from "@/lib/connectors/queries";
import { requestAlertCheck, requestSync } from "@/inngest/dispatch";
import { applyHeldRetirements, dismissHeldRetirements } from "@/lib/catalogue/mutations";
import { gated, type ActionFailure } from "@/lib/auth/gate";
import { rowIdSchema } from "@/lib/input/text";

const syncNowSchema = z
  .object({ kind: z.enum(["CATALOGUE", "STATISTICS"]), dryRun: z.boolean().optional() })
  .refine((input) => !input.dryRun || input.kind === "CATALOGUE");

/**
 * "Sync now": starts a catalogue or statistics run, or returns the one already running.
 * `dryRun` (catalogue): reads Coursera's whole listing and says what a sync would change, writing nothing.
 */
export async function syncNowAction(
  platformId: string,
  input: { kind: "CATALOGUE" | "STATISTICS"; dryRun?: boolean },
): Promise<{ ok: true; runId: string; alreadyRunning: boolean } | ActionFailure> {
  return gated("sync.start", platformId, async (ctx) => {
    const parsed = syncNowSchema.safeParse(input);
    if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: "Choose what to sync." };
    const connector = await getConnectorSettings(ctx.platformId);
    if (!connector) return { ok: false, code: "CONNECTOR_NOT_READY", message: "The Coursera connector is not set up on this platform." };
    const result = await requestSync({
      connectorId: connector.id,
      kind: parsed.data.kind,
      mode: parsed.data.dryRun ? "DRY_RUN" : "FULL",
      trigger: "MANUAL",
      triggeredBy: ctx.actor,
    });
    if (result.ok) revalidatePath(`/p/${ctx.platformId}/syncs`);
    return result;
  });
}

const runIdSchema = z.object({ runId: rowIdSchema() });

/** A held mass retirement: the admin confirms it (the courses are retired) or dismisses it (nothing is). */
export async function decideHeldRetirementsAction(
  platformId: string,
  input: { runId: string; decision: "apply" | "dismiss" },
): Promise<{ ok: true; retired: number } | ActionFailure> {
  return gated("catalogue.retirements", platformId, async (ctx) => {
    const parsed = runIdSchema.extend({ decision: z.enum(["apply", "dismiss"]) }).safeParse(input);
    if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: "Choose a decision." };
    const args = { platformId: ctx.platformId, runId: parsed.data.runId, actor: ctx.actor };
    const result = parsed.data.decision === "apply" ? await applyHeldRetirements(args) : await dismissHeldRetirements(args);
    if (result.ok) {
      revalidatePath(`/p/${ctx.platformId}/syncs`, "layout");
      revalidatePath(`/p/${ctx.platformId}/courses`, "layout");
      // The review alert closes.
      await requestAlertCheck({ platformId: ctx.platformId });
    }
    return result;
  });
}
