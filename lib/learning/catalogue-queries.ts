import "server-only";
import { db, Prisma } from "@/lib/db";
import type { CompletionStatus, ContentType, CourseSource } from "@/lib/generated/prisma/enums";
import { CATALOGUE_PAGE_SIZE, type CatalogueFilters } from "@/lib/learning/schema";
import { asPartners, type Partner } from "@/lib/learning/partners";
import { inCatalogueSql } from "@/lib/learning/visibility";

/** The learner's catalogue: search, pages of courses, facets. Visibility: lib/learning/visibility.ts. */

/**
 * The learner's words as a prefix tsquery ("data sci" finds "Data Science"),
 * every word required. PostgreSQL's own parser splits the words, exactly as it
 * split the courses' text (so "Node.js" or "machine-learning" match), and each
 * lexeme is quoted, so no input can break the query syntax. `weight` 'A'
 * restricts the match to titles. An uncorrelated sub-select: PostgreSQL
 * evaluates it once and uses it as an index condition.
 */
function tsquerySql(text: string, weight: "" | "A" = ""): Prisma.Sql {
  const suffix = `:*${weight}`;
  return Prisma.sql`(SELECT to_tsquery('simple'::regconfig, string_agg(
      '''' || replace(replace(w.lexeme, '\\', '\\\\'), '''', '''''') || '''' || ${suffix}, ' & '))
    FROM (SELECT unnest(tsvector_to_array(to_tsvector('simple'::regconfig, ${text}))) AS lexeme LIMIT 8) w)`;
}

/** Whether `text` contains anything to search for (letters or digits). */
export function isSearchable(text: string | undefined): text is string {
  return Boolean(text && /[\p{L}\p{N}]/u.test(text));
}

/**
 * Courses carrying a skill an admin attached whose name matches the text
 * (Skill's expression index). Those skills are not in "searchVector", so the
 * catalogue query ORs these ids in: a short list turned into a second bitmap
 * index condition, which keeps the whole search on indexes.
 */
async function coursesWithMatchingAdminSkill(platformId: string, text: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ courseId: string }[]>`
    SELECT DISTINCT cs."courseId" FROM "CourseSkill" cs
      JOIN "Skill" s ON s."id" = cs."skillId"
     WHERE s."platformId" = ${platformId} AND to_tsvector('simple'::regconfig, s."name") @@ ${tsquerySql(text)}
     LIMIT 10000`;
  return rows.map((r) => r.courseId);
}

/** A search, resolved: the text and the courses its admin-attached skills point at. */
export interface ResolvedSearch {
  text: string;
  skillCourseIds: string[];
}

export async function resolveSearch(platformId: string, q: string | undefined): Promise<ResolvedSearch | null> {
  if (!isSearchable(q)) return null;
  return { text: q, skillCourseIds: await coursesWithMatchingAdminSkill(platformId, q) };
}

export interface CatalogueCourse {
  id: string;
  title: string;
  source: CourseSource;
  contentType: ContentType;
  language: string | null;
  level: string | null;
  durationMinutes: number | null;
  imageUrl: string | null;
  partners: Partner[];
  /** Coursera's status for this learner, once a statistics sync reported it. */
  status: CompletionStatus | null;
  progressPercent: number | null;
}

export interface CataloguePage {
  courses: CatalogueCourse[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
}

function filtersSql(filters: CatalogueFilters): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filters.type) parts.push(Prisma.sql`c."contentType" = ${filters.type}::"ContentType"`);
  if (filters.source) parts.push(Prisma.sql`c."source" = ${filters.source}::"CourseSource"`);
  if (filters.language) parts.push(Prisma.sql`c."language" = ${filters.language}`);
  if (filters.skill)
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "CourseSkill" fs WHERE fs."courseId" = c."id" AND fs."skillId" = ${filters.skill})`);
  return parts.length ? Prisma.sql`AND ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

/**
 * One page of the learner's catalogue. Without a search: in title order.
 * With a search: courses whose title holds every word first, then the rest,
 * each tier by full-text rank (partner and skill names weigh more than the
 * description), then by title.
 */
export async function listCatalogue(userId: string, platformId: string, filters: CatalogueFilters): Promise<CataloguePage> {
  const pageSize = CATALOGUE_PAGE_SIZE;
  const search = await resolveSearch(platformId, filters.q);
  // JIT compilation costs more than these short queries save (counting a large
  // catalogue reaches its cost threshold), so it is off for them.
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL jit = off`;
    const [{ total }] = await tx.$queryRaw<{ total: number }[]>(catalogueCountSql(userId, platformId, filters, search));
    const pageCount = Math.max(1, Math.ceil(total / pageSize));
    const page = Math.min(filters.page, pageCount);
    if (total === 0) return { courses: [], total, page, pageCount, pageSize };
    const rows = await tx.$queryRaw<(Omit<CatalogueCourse, "partners"> & { partners: unknown })[]>(
      catalogueRowsSql(userId, platformId, filters, search, page),
    );
    return { courses: rows.map((r) => ({ ...r, partners: asPartners(r.partners) })), total, page, pageCount, pageSize };
  });
}

function catalogueWhereSql(userId: string, platformId: string, filters: CatalogueFilters, search: ResolvedSearch | null): Prisma.Sql {
  const bySkill = search?.skillCourseIds.length ? Prisma.sql`OR c."id" = ANY(${search.skillCourseIds})` : Prisma.empty;
  const matches = search ? Prisma.sql`AND (c."searchVector" @@ ${tsquerySql(search.text)} ${bySkill})` : Prisma.empty;
  return Prisma.sql`${inCatalogueSql(userId, platformId)} ${filtersSql(filters)} ${matches}`;
}

/** The catalogue's two statements (exported for the search benchmark's EXPLAIN). */
export function catalogueCountSql(
  userId: string,
  platformId: string,
  filters: CatalogueFilters,
  search: ResolvedSearch | null,
): Prisma.Sql {
  return Prisma.sql`SELECT count(*)::int AS total FROM "Course" c WHERE ${catalogueWhereSql(userId, platformId, filters, search)}`;
}

/**
 * Without a search: title order. With one: courses whose title holds every
 * word first, then by full-text rank (partner and skill names weigh more than
 * the description; a matching admin-attached skill adds as much as a partner
 * word would), then by title.
 */
export function catalogueRowsSql(
  userId: string,
  platformId: string,
  filters: CatalogueFilters,
  search: ResolvedSearch | null,
  page: number,
): Prisma.Sql {
  const skillBonus = search?.skillCourseIds.length
    ? Prisma.sql`+ CASE WHEN c."id" = ANY(${search.skillCourseIds}) THEN 0.4 ELSE 0 END`
    : Prisma.empty;
  const order = search
    ? Prisma.sql`ORDER BY (c."searchVector" @@ ${tsquerySql(search.text, "A")}) DESC,
                          ts_rank(c."searchVector", ${tsquerySql(search.text)}) ${skillBonus} DESC,
                          c."title", c."id"`
    : Prisma.sql`ORDER BY c."title", c."id"`;
  return Prisma.sql`
    SELECT c."id", c."title", c."source", c."contentType", c."language", c."level", c."durationMinutes", c."imageUrl", c."partners",
           st."status", st."progressPercent"
      FROM "Course" c
      LEFT JOIN "LearnerCourseStat" st ON st."userId" = ${userId} AND st."courseId" = c."id"
     WHERE ${catalogueWhereSql(userId, platformId, filters, search)}
     ${order}
     LIMIT ${CATALOGUE_PAGE_SIZE} OFFSET ${(page - 1) * CATALOGUE_PAGE_SIZE}`;
}

export interface CatalogueFacets {
  types: { value: ContentType; count: number }[];
  languages: { value: string; count: number }[];
  skills: { id: string; name: string }[];
  hasCoursera: boolean;
  hasNative: boolean;
}

/** The filter choices that lead somewhere: values present in the learner's catalogue. */
export async function catalogueFacets(userId: string, platformId: string): Promise<CatalogueFacets> {
  const [grouped, skills] = await Promise.all([
    db.$queryRaw<{ contentType: ContentType | null; language: string | null; source: CourseSource | null; count: number }[]>`
      SELECT c."contentType", c."language", c."source", count(*)::int AS count
        FROM "Course" c WHERE ${inCatalogueSql(userId, platformId)}
       GROUP BY GROUPING SETS ((c."contentType"), (c."language"), (c."source"))`,
    db.$queryRaw<{ id: string; name: string }[]>`
      SELECT s."id", s."name" FROM "Skill" s
       WHERE s."platformId" = ${platformId} AND EXISTS (
         SELECT 1 FROM "CourseSkill" cs JOIN "Course" c ON c."id" = cs."courseId"
          WHERE cs."skillId" = s."id" AND ${inCatalogueSql(userId, platformId)})
       ORDER BY lower(s."name")`,
  ]);
  const types = grouped.filter((r) => r.contentType && !r.language && !r.source).map((r) => ({ value: r.contentType!, count: r.count }));
  const languages = grouped
    .filter((r) => r.language && !r.contentType && !r.source)
    .map((r) => ({ value: r.language!, count: r.count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  const sources = new Set(grouped.filter((r) => r.source).map((r) => r.source));
  return { types, languages, skills, hasCoursera: sources.has("COURSERA"), hasNative: sources.has("NATIVE") };
}
