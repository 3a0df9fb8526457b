import "server-only";
import { csvDateTime, csvLine } from "@/lib/csv";
import { auditActionLabel, describeAuditEntry } from "@/lib/audit/describe";
import type { AuditEntry } from "@/lib/audit/queries";

/**
 * The audit export: the page's columns in the page's order (When, Who, What, Details), in the page's
 * words, then the recorded action code and target for a spreadsheet's own filters. Times in UTC.
 */
export const AUDIT_CSV_HEADER = ["When (UTC)", "Who", "What", "Details", "Action code", "Target type", "Target id"];

export function auditCsvLine(e: AuditEntry): string {
  return csvLine([
    csvDateTime(e.createdAt),
    e.actorEmail ?? "System",
    auditActionLabel(e.action),
    describeAuditEntry(e.action, e.details),
    e.action,
    e.targetType,
    e.targetId,
  ]);
}
