import type { CompletionStatus } from "@/lib/generated/prisma/enums";

/**
 * A completion status in the words an admin reads, with its colour. The page's badges, bars and legend
 * and the CSV use the same words, so a spreadsheet and the screen agree.
 */
export const COMPLETION_STATUS: Record<CompletionStatus, { label: string; tone: "success" | "info" | "neutral"; meaning: string }> = {
  COMPLETED: { label: "Completed", tone: "success", meaning: "Coursera reports the course finished" },
  IN_PROGRESS: { label: "In progress", tone: "info", meaning: "started, not finished" },
  NOT_STARTED: { label: "Not started", tone: "neutral", meaning: "enrolled, no activity yet" },
};

/** Listed in this order on the page (legend, filter). */
export const COMPLETION_STATUSES: CompletionStatus[] = ["COMPLETED", "IN_PROGRESS", "NOT_STARTED"];
