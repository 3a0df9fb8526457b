import "server-only";
import { z } from "zod";
import { db, Prisma } from "@/lib/db";
import { filterValueSchema, parseSearchParams, searchTextSchema, type SearchParamsInput } from "@/lib/input/text";
import { containsPattern, escapeLike } from "@/lib/sql/like";
import { instantOfLocalTime } from "@/lib/sync/local-time";

/**
 * The platform's audit log, newest first: filtered by action family, actor, a date range (days of the
 * connector's time zone) and a text search, paged on the server. The page and the CSV read the same.
 */

export const AUDIT_PAGE_SIZE = 50;

/** The actor filter's value for entries no person made (a scheduled sync, the system). */
export const SYSTEM_ACTOR = "system";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v) && d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2999;
  })
  .optional()
  .catch(undefined);

export const auditParamsSchema = z.object({
  action: z
    .string()
    .trim()
    .max(60)
    .regex(/^[a-z._-]*$/)
    .catch("")
    .default(""),
  /** An actor's email, or SYSTEM_ACTOR. */
  actor: filterValueSchema,
  q: searchTextSchema(200),
  /** First and last day included, as YYYY-MM-DD in the connector's time zone. */
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

export type AuditParams = z.output<typeof auditParamsSchema>;

export function parseAuditParams(searchParams: SearchParamsInput): AuditParams {
  return parseSearchParams(auditParamsSchema, searchParams);
}

/** The zone the audit log's days are read in: the connector's, else the platform's. */
export async function getAuditTimeZone(platformId: string): Promise<string> {
  const platform = await db.platform.findUnique({
    where: { id: platformId },
    select: { timeZone: true, connector: { select: { timeZone: true } } },
  });
  return platform?.connector?.timeZone ?? platform?.timeZone ?? "UTC";
}

function startOfDay(value: string, timeZone: string): Date {
  const [year, month, dayOfMonth] = value.split("-").map(Number);
  return instantOfLocalTime({ year, month, day: dayOfMonth }, "00:00", timeZone);
}

function nextDay(value: string): string {
  const d = new Date(`${value}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The WHERE clause of the filters (every column qualified by `a`). */
export function auditWhere(platformId: string, p: AuditParams, timeZone: string): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`a."platformId" = ${platformId}`];
  // "credentials" matches credentials.replaced; "skills.changed" matches itself.
  if (p.action) parts.push(Prisma.sql`a."action" LIKE ${`${escapeLike(p.action)}%`}`);
  if (p.actor === SYSTEM_ACTOR) parts.push(Prisma.sql`a."actorEmail" IS NULL`);
  else if (p.actor) parts.push(Prisma.sql`lower(a."actorEmail") = lower(${p.actor})`);
  if (p.from) parts.push(Prisma.sql`a."createdAt" >= ${startOfDay(p.from, timeZone)}`);
  if (p.to) parts.push(Prisma.sql`a."createdAt" < ${startOfDay(nextDay(p.to), timeZone)}`);
  if (p.q) {
    // The words an admin sees are made from these columns: who, the action, its target and details.
    const like = containsPattern(p.q);
    parts.push(
      Prisma.sql`(a."actorEmail" ILIKE ${like} OR a."action" ILIKE ${like} OR a."targetId" ILIKE ${like} OR a."details"::text ILIKE ${like})`,
    );
  }
  return Prisma.join(parts, " AND ");
}

export interface AuditEntry {
  id: string;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: unknown;
  createdAt: Date;
}

const entryColumns = Prisma.sql`a."id", a."actorEmail", a."action", a."targetType", a."targetId", a."details", a."createdAt"`;

export async function listAuditEntries(platformId: string, params: AuditParams, timeZone?: string) {
  const zone = timeZone ?? (await getAuditTimeZone(platformId));
  const where = auditWhere(platformId, params, zone);
  const [rows, [{ total }], actions, actors] = await Promise.all([
    db.$queryRaw<AuditEntry[]>`
      SELECT ${entryColumns} FROM "AuditLog" a WHERE ${where}
       ORDER BY a."createdAt" DESC, a."id" DESC
       LIMIT ${AUDIT_PAGE_SIZE} OFFSET ${(params.page - 1) * AUDIT_PAGE_SIZE}`,
    db.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM "AuditLog" a WHERE ${where}`,
    db.auditLog.groupBy({ by: ["action"], where: { platformId }, orderBy: { action: "asc" } }),
    db.auditLog.groupBy({ by: ["actorEmail"], where: { platformId }, orderBy: { actorEmail: "asc" } }),
  ]);
  return {
    total,
    page: params.page,
    pageSize: AUDIT_PAGE_SIZE,
    rows,
    timeZone: zone,
    actions: actions.map((a) => a.action),
    /** Everyone who appears in the log (for the actor filter); SYSTEM_ACTOR when the system does. */
    actors: actors.map((a) => a.actorEmail ?? SYSTEM_ACTOR),
  };
}

/**
 * Every entry the filters select (no paging), newest first like the page, in batches read by keyset
 * (createdAt, id) so that a long log is never held in memory nor re-scanned by OFFSET.
 */
export async function* iterateAuditEntries(
  platformId: string,
  params: AuditParams,
  timeZone: string,
  batchSize = 2000,
): AsyncGenerator<AuditEntry[]> {
  const where = auditWhere(platformId, params, timeZone);
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const cursor: Prisma.Sql = after ? Prisma.sql`AND (a."createdAt", a."id") < (${after.createdAt}, ${after.id})` : Prisma.empty;
    const rows: AuditEntry[] = await db.$queryRaw<AuditEntry[]>`
      SELECT ${entryColumns} FROM "AuditLog" a WHERE ${where} ${cursor}
       ORDER BY a."createdAt" DESC, a."id" DESC
       LIMIT ${batchSize}`;
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1];
    after = { createdAt: last.createdAt, id: last.id };
  }
}
