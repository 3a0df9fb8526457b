import type { CompletionStatus, StepStatus } from "@/lib/generated/prisma/enums";
import type { BadgeTone } from "@/components/badge";

/** Words for the learner's pages. Course facts are written as on the admin's pages: one formatter each (components/format.ts). */
export {
  CONTENT_TYPE_LABELS as contentTypeLabel,
  formatLanguage as languageLabel,
  formatLevel as levelLabel,
  formatMinutes,
} from "@/components/format";

export const completionLabel: Record<CompletionStatus, { label: string; tone: BadgeTone }> = {
  NOT_STARTED: { label: "Not started", tone: "neutral" },
  IN_PROGRESS: { label: "In progress", tone: "info" },
  COMPLETED: { label: "Completed", tone: "success" },
};

export const stepStatusLabel: Record<StepStatus, { label: string; tone: BadgeTone }> = {
  NOT_STARTED: { label: "Not started", tone: "neutral" },
  STARTED: { label: "Started", tone: "info" },
  COMPLETED: { label: "Completed", tone: "success" },
};

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${Math.round(value)}%`;
}
