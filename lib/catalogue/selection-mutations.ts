import "server-only";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/mutations";
import { importSelectionSchema, sameSelection, type ImportSelection } from "@/lib/catalogue/import-selection";
import { previewImportSelection, type ImportPreview } from "@/lib/catalogue/import-preview";
import type { Actor } from "@/lib/result";
import type { SyncStarter } from "@/lib/sync/runs";

/**
 * Saving a connector's import selection, as confirmed on its dry run: the
 * admin saw the preview's figures, and the save goes through only if they
 * still hold (the preview's fingerprint), else the new figures come back for
 * another look. The change then runs as a catalogue sync, whose retirements go
 * through the same mass-drop hold as any other.
 */

export type PreviewResult = { ok: true; preview: ImportPreview } | SelectionFailure;

export type SaveSelectionResult =
  | { ok: true; changed: false }
  | { ok: true; changed: true; runId: string | null; syncNotice: string | null }
  | SelectionFailure
  | { ok: false; code: "IMPACT_CHANGED"; message: string; preview: ImportPreview };

type SelectionFailure = { ok: false; code: "NOT_FOUND" | "INVALID_INPUT"; message: string };

async function loadConnector(platformId: string) {
  return db.courseraConnector.findUnique({
    where: { platformId },
    select: {
      id: true,
      enabled: true,
      massRetirementThreshold: true,
      importProgramIds: true,
      importContentTypes: true,
      importLanguages: true,
    },
  });
}

function parseSelection(input: unknown): { ok: true; selection: ImportSelection } | SelectionFailure {
  const parsed = importSelectionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: parsed.error.issues[0]?.message ?? "Check the selection." };
  return { ok: true, selection: parsed.data };
}

/** The dry run of a selection for the connector of `platformId` (the caller checked the actor may change it). */
export async function previewSelection(platformId: string, input: unknown): Promise<PreviewResult> {
  const parsed = parseSelection(input);
  if (!parsed.ok) return parsed;
  const connector = await loadConnector(platformId);
  if (!connector) return { ok: false, code: "NOT_FOUND", message: "This platform has no Coursera connector yet." };
  return {
    ok: true,
    preview: await previewImportSelection({
      platformId,
      connectorId: connector.id,
      selection: parsed.selection,
      massRetirementThreshold: connector.massRetirementThreshold,
    }),
  };
}

export async function saveImportSelection(input: {
  platformId: string;
  selection: unknown;
  /** The fingerprint of the preview the admin confirmed. */
  expectedImpact: string;
  actor: Actor;
  startSync: SyncStarter;
}): Promise<SaveSelectionResult> {
  const parsed = parseSelection(input.selection);
  if (!parsed.ok) return parsed;
  const selection = parsed.selection;
  const connector = await loadConnector(input.platformId);
  if (!connector) return { ok: false, code: "NOT_FOUND", message: "This platform has no Coursera connector yet." };
  const current: ImportSelection = {
    programIds: connector.importProgramIds,
    contentTypes: connector.importContentTypes,
    languages: connector.importLanguages,
  };
  if (sameSelection(current, selection)) return { ok: true, changed: false };

  const preview = await previewImportSelection({
    platformId: input.platformId,
    connectorId: connector.id,
    selection,
    massRetirementThreshold: connector.massRetirementThreshold,
  });
  if (preview.fingerprint !== input.expectedImpact) {
    return {
      ok: false,
      code: "IMPACT_CHANGED",
      message: "The catalogue changed since this preview (a sync ran meanwhile). Check the new figures, then save again.",
      preview,
    };
  }

  await db.$transaction(async (tx) => {
    await tx.courseraConnector.update({
      where: { id: connector.id },
      data: { importProgramIds: selection.programIds, importContentTypes: selection.contentTypes, importLanguages: selection.languages },
    });
    await recordAudit(
      {
        platformId: input.platformId,
        actor: input.actor,
        action: "connector.import_selection_changed",
        targetType: "CourseraConnector",
        targetId: connector.id,
        details: {
          from: current,
          to: selection,
          summary: describeSelection(selection),
          add: preview.add,
          retire: preview.retire,
          retireInUse: preview.retireInUse,
          keep: preview.keep,
        },
      },
      tx,
    );
  });

  if (!connector.enabled) {
    return {
      ok: true,
      changed: true,
      runId: null,
      syncNotice: "It applies from the first catalogue sync once customer success enables the connector.",
    };
  }
  const sync = await input.startSync({ connectorId: connector.id, kind: "CATALOGUE", trigger: "SELECTION", triggeredBy: input.actor });
  if (!sync.ok)
    return { ok: true, changed: true, runId: null, syncNotice: `${sync.message} The selection applies from the next catalogue sync.` };
  if (sync.alreadyRunning) {
    return {
      ok: true,
      changed: true,
      runId: sync.runId,
      syncNotice: "A catalogue sync was already running: the selection applies from the next one.",
    };
  }
  return { ok: true, changed: true, runId: sync.runId, syncNotice: null };
}

/** "2 programs; Course, Guided project; en, fr", or "everything": how the audit log says a selection. */
export function describeSelection(selection: ImportSelection): string {
  const parts = [
    selection.programIds.length > 0 ? `${selection.programIds.length} program(s)` : "all programs",
    selection.contentTypes.length > 0 ? selection.contentTypes.join(", ") : "all content types",
    selection.languages.length > 0 ? selection.languages.join(", ") : "all languages",
  ];
  return parts.join("; ");
}
