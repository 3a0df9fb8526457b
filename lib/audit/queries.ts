import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { parseSearchParams, type SearchParamsInput } from "@/lib/input/text";

/** The platform's audit log, newest first, filterable by action family. */

export const AUDIT_PAGE_SIZE = 50;

export const auditParamsSchema = z.object({
  action: z
    .string()
    .trim()
    .max(60)
    .regex(/^[a-z._-]*$/)
    .catch("")
    .default(""),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export type AuditParams = z.output<typeof auditParamsSchema>;

export function parseAuditParams(searchParams: SearchParamsInput): AuditParams {
  return parseSearchParams(auditParamsSchema, searchParams);
}

export async function listAuditEntries(platformId: string, params: AuditParams) {
  // "credentials" matches credentials.replaced; "skills.changed" matches itself.
  const where = { platformId, ...(params.action ? { action: { startsWith: params.action } } : {}) };
  const [rows, total, actions] = await Promise.all([
    db.auditLog.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (params.page - 1) * AUDIT_PAGE_SIZE,
      take: AUDIT_PAGE_SIZE,
      select: { id: true, actorEmail: true, action: true, targetType: true, targetId: true, details: true, createdAt: true },
    }),
    db.auditLog.count({ where }),
    db.auditLog.groupBy({ by: ["action"], where: { platformId }, orderBy: { action: "asc" } }),
  ]);
  return { total, page: params.page, pageSize: AUDIT_PAGE_SIZE, rows, actions: actions.map((a) => a.action) };
}
