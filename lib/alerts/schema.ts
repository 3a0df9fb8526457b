import { z } from "zod";

/**
 * The kinds of alert, as the settings page and the notifications list name
 * them, and the preferences form's schema (shared by the form and the action).
 */

export const ALERT_KINDS = ["SYNC_FAILED", "CREDENTIALS_REJECTED", "NEEDS_REVIEW", "STALE"] as const;
export type AlertKindName = (typeof ALERT_KINDS)[number];

export const ALERT_KIND_LABELS: Record<AlertKindName, { label: string; description: string }> = {
  SYNC_FAILED: { label: "A sync failed", description: "A catalogue or statistics sync ended in failure after its retries." },
  CREDENTIALS_REJECTED: {
    label: "Credentials rejected",
    description: "Coursera refused the connector's credentials, during a sync or when they were tested or saved.",
  },
  NEEDS_REVIEW: {
    label: "A sync needs review",
    description: "Retirements were held back after a mass drop, or learners Coursera reports could not be matched.",
  },
  STALE: { label: "Connector stale", description: "No successful catalogue or statistics sync for longer than the connector allows." },
};

export const alertPreferencesSchema = z.object({
  preferences: z
    .array(z.object({ kind: z.enum(ALERT_KINDS), inApp: z.boolean(), email: z.boolean() }))
    .max(ALERT_KINDS.length)
    .refine((list) => new Set(list.map((p) => p.kind)).size === list.length, "Each kind of alert once."),
});
export type AlertPreferencesInput = z.input<typeof alertPreferencesSchema>;

/** One notification as the bell's list and the notifications page show it. */
export interface NotificationRow {
  id: string;
  event: "OPENED" | "RESOLVED";
  kind: AlertKindName;
  title: string;
  summary: string;
  resolution: string | null;
  path: string;
  platformId: string;
  platformName: string;
  createdAt: string;
  read: boolean;
}

/** An incident's title, in the app and in email subjects. */
export function incidentTitle(kind: AlertKindName, scope: string): string {
  const sync = scope === "CATALOGUE" ? "Catalogue" : "Statistics";
  switch (kind) {
    case "SYNC_FAILED":
      return `${sync} sync failed`;
    case "STALE":
      return `${sync} not synced successfully for too long`;
    case "NEEDS_REVIEW":
      return scope === "CATALOGUE"
        ? "Catalogue sync needs review: retirements held back"
        : "Statistics sync needs review: unmatched learners";
    case "CREDENTIALS_REJECTED":
      return "Coursera rejected the credentials";
  }
}
