import type { CompletionStatus, ContentType, StepStatus } from "@/lib/generated/prisma/enums";
import type { BadgeTone } from "@/components/badge";

/** Words for the learner's pages. */
export const contentTypeLabel: Record<ContentType, string> = {
  COURSE: "Course",
  SPECIALIZATION: "Specialization",
  PROFESSIONAL_CERTIFICATE: "Professional certificate",
  GUIDED_PROJECT: "Guided project",
  PROJECT: "Project",
  VIDEO: "Video",
  OTHER: "Other",
};

const languageNames = new Intl.DisplayNames(["en"], { type: "language" });

/** "es" → "Spanish"; an unknown code is shown as it is. */
export function languageLabel(code: string | null | undefined): string {
  if (!code) return "—";
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}

// One way to write a duration, for learners and admins alike.
export { formatMinutes } from "@/components/format";

export function levelLabel(level: string | null | undefined): string {
  if (!level) return "—";
  return level.charAt(0).toUpperCase() + level.slice(1).toLowerCase();
}

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
