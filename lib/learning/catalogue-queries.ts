import "server-only";
import { db, Prisma } from "@/lib/db";
import type { CompletionStatus, ContentType, CourseSource } from "@/lib/generated/prisma/enums";
import { CATALOGUE_PAGE_SIZE, DURATION_BANDS, type CatalogueFilters, type DurationBand } from "@/lib/learning/schema";
import { asPartners, type Partner } from "@/lib/learning/partners";
import { courseLevelRank } from "@/lib/catalogue/levels";
import { catalogueScopeCtes, inCatalogueScopeSql, inCatalogueSql } from "@/lib/learning/visibility";
import { resolveSearch, type ResolvedSearch } from "@/lib/learning/search/resolve";

export { resolveSearch };

/**
 * The learner's catalogue: a page of courses, then apart its facets and bounded
 * count (one query), so the page shows its courses before anything is counted.
 * Visibility: lib/learning/visibility.ts. Search: lib/learning/search/.
 */

/** Counts stop here: "1,000+" says enough, and counting further would cost more than the results. */
export const COUNT_BOUND = 1000;

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
  page: number;
  pageSize: number;
  hasNextPage: boolean;
  search: ResolvedSearch | null;
  /**
   * "Did you mean": the corrected query, when the words as typed found nothing
   * and their corrections did (the courses shown are then the corrections').
   */
  didYouMean: string | null;
}

/** Courses with an admin-attached skill matching the query: a short id list, usable as an index condition. */
function adminSkillCourseIdsSql(platformId: string, tsquery: string): Prisma.Sql {
  return Prisma.sql`ARRAY(
    SELECT cs."courseId" FROM "CourseSkill" cs JOIN "Skill" s ON s."id" = cs."skillId"
     WHERE s."platformId" = ${platformId}
       AND to_tsvector('catalogue_search'::regconfig, s."name") @@ ${tsquery}::tsquery
     LIMIT 10000)`;
}

function durationSql(band: DurationBand): Prisma.Sql {
  const { from, to } = DURATION_BANDS[band];
  return to === null
    ? Prisma.sql`c."durationMinutes" >= ${from}`
    : Prisma.sql`c."durationMinutes" >= ${from} AND c."durationMinutes" < ${to}`;
}

function filtersSql(filters: CatalogueFilters): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filters.type) parts.push(Prisma.sql`c."contentType" = ${filters.type}::"ContentType"`);
  if (filters.source) parts.push(Prisma.sql`c."source" = ${filters.source}::"CourseSource"`);
  if (filters.language) parts.push(Prisma.sql`c."language" = ${filters.language}`);
  if (filters.level) parts.push(Prisma.sql`lower(c."level") = lower(${filters.level})`);
  if (filters.duration) parts.push(durationSql(filters.duration));
  if (filters.partner) parts.push(Prisma.sql`c."partners" @> ${JSON.stringify([{ name: filters.partner }])}::jsonb`);
  if (filters.skill)
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "CourseSkill" fs WHERE fs."courseId" = c."id" AND fs."skillId" = ${filters.skill})`);
  return parts.length ? Prisma.sql`AND ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

function matchSql(platformId: string, search: ResolvedSearch | null): Prisma.Sql {
  if (!search) return Prisma.empty;
  return Prisma.sql`AND (c."searchVector" @@ ${search.expanded}::tsquery
                         OR c."id" = ANY(${adminSkillCourseIdsSql(platformId, search.expanded)}))`;
}

function whereSql(userId: string, platformId: string, filters: CatalogueFilters, search: ResolvedSearch | null): Prisma.Sql {
  return Prisma.sql`${inCatalogueSql(userId, platformId)} ${filtersSql(filters)} ${matchSql(platformId, search)}`;
}

const COLUMNS = Prisma.sql`c."id", c."title", c."source", c."contentType", c."language", c."level", c."durationMinutes", c."imageUrl", c."partners"`;

/**
 * Relevance, as a learner reads it, in tiers: the words as typed before their
 * corrections; within each, courses whose title holds every word, then their
 * skills (Coursera's or an admin's), then their partners, then the course as a
 * whole (the description, or words spread over fields); within a tier the
 * newest first. Each tier is its own query, read in order until the page is
 * full: later tiers are not even started.
 */
function relevanceQueries(search: ResolvedSearch): string[] {
  return search.expanded === search.literal ? [search.literal] : [search.literal, search.expanded];
}

/** The courses an admin's skill matches, per query: computed once, as CTEs, and named by the tiers' conditions. */
function adminSkillCtes(platformId: string, search: ResolvedSearch): Prisma.Sql[] {
  return relevanceQueries(search).map(
    (q, i) => Prisma.sql`${Prisma.raw(`admin_skill_${i}`)} AS MATERIALIZED (SELECT ${adminSkillCourseIdsSql(platformId, q)} AS ids)`,
  );
}

function relevanceTiers(search: ResolvedSearch): Prisma.Sql[] {
  return relevanceQueries(search).flatMap((q, i) => [
    Prisma.sql`c."titleVector" @@ ${q}::tsquery`,
    Prisma.sql`(c."skillsVector" @@ ${q}::tsquery OR c."id" = ANY((SELECT ids FROM ${Prisma.raw(`admin_skill_${i}`)})::text[]))`,
    Prisma.sql`c."partnersVector" @@ ${q}::tsquery`,
    Prisma.sql`c."searchVector" @@ ${q}::tsquery`,
  ]);
}

/**
 * A tier reads at most this many of its matches through its column's GIN index
 * (in storage order, no sort). Fewer: they are all of them, sorted newest first
 * exactly. This many: the word is frequent, and the tier walks the platform's
 * newest courses instead, stopping at the page's last row.
 */
export const TIER_READ_BOUND = 500;

/**
 * A frequent word's walk reads at most this many of the newest courses. A word
 * that frequent whose courses are all older than that is read through the GIN
 * index after all, all its matches sorted.
 */
export const TIER_WALK_BOUND = 5000;

function rankedRowsSql(userId: string, platformId: string, filters: CatalogueFilters, search: ResolvedSearch, offset: number): Prisma.Sql {
  const tiers = relevanceTiers(search);
  const limit = offset + CATALOGUE_PAGE_SIZE + 1;
  const ctes: Prisma.Sql[] = [];
  const branches = tiers.flatMap((condition, tier) => {
    const earlier = tiers.slice(0, tier);
    const notEarlier = earlier.length ? Prisma.sql`AND (${Prisma.join(earlier, " OR ")}) IS NOT TRUE` : Prisma.empty;
    const matches = Prisma.sql`${condition} ${notEarlier}`;
    const read = Prisma.raw(`tier_${tier}_read`);
    const walk = Prisma.raw(`tier_${tier}_walk`);
    const frequent = Prisma.sql`(SELECT count(*) FROM ${read}) >= ${TIER_READ_BOUND}`;
    const walked = Prisma.sql`(SELECT count(*) FROM ${walk}) >= ${limit}`;
    const inScope = Prisma.sql`${inCatalogueScopeSql(platformId)} ${filtersSql(filters)}`;
    ctes.push(
      // Without an order, the LIMIT bounds what the GIN index reads whatever the planner expects of the words.
      Prisma.sql`${read} AS (
        SELECT c."id", c."createdAt", c."title" FROM "Course" c WHERE ${inScope} AND ${matches} LIMIT ${TIER_READ_BOUND})`,
      // Run only for a frequent word: the newest courses through "Course_platformId_createdAt_idx", a word's
      // share of them kept. The CASE keeps PostgreSQL from using the GIN index here instead.
      Prisma.sql`${walk} AS (
        SELECT w."id", w."createdAt", w."title" FROM (
          SELECT c."id", c."createdAt", c."title", CASE WHEN ${matches} THEN true END AS hit FROM "Course" c
           WHERE ${inScope} ORDER BY c."createdAt" DESC, c."title", c."id" LIMIT ${TIER_WALK_BOUND}) AS w
         WHERE w.hit LIMIT ${limit})`,
    );
    const row = Prisma.sql`${tier}::int AS tier`;
    return [
      Prisma.sql`(SELECT r."id", r."createdAt", r."title", ${row} FROM ${read} r WHERE NOT ${frequent}
                   ORDER BY r."createdAt" DESC, r."title", r."id" LIMIT ${limit})`,
      Prisma.sql`(SELECT w."id", w."createdAt", w."title", ${row} FROM ${walk} w WHERE ${frequent} AND ${walked})`,
      // A frequent word whose courses are all old: every match through the GIN index, sorted (the + 0 keeps
      // the date index out of it).
      Prisma.sql`(SELECT c."id", c."createdAt", c."title", ${row} FROM "Course" c
                   WHERE ${frequent} AND NOT ${walked} AND ${inScope} AND ${matches}
                   ORDER BY c."createdAt" + interval '0' DESC, c."title", c."id" LIMIT ${limit})`,
    ];
  });
  const literalTiers = search.expanded === search.literal ? tiers.length : tiers.length / 2;
  // The branches are read in order (an Append, no sort above it) and the LIMIT stops reading once the
  // page is full: later tiers are not even started. Only the page's rows are then sorted, read in
  // full, and given the learner's own numbers.
  return Prisma.sql`
    WITH ${catalogueScopeCtes(userId, platformId)}, ${Prisma.join([...adminSkillCtes(platformId, search), ...ctes], ", ")}
    SELECT ${COLUMNS}, st."status", st."progressPercent", r.tier < ${literalTiers} AS "literalMatch"
      FROM (SELECT * FROM (${Prisma.join(branches, " UNION ALL ")}) AS tiers LIMIT ${CATALOGUE_PAGE_SIZE + 1} OFFSET ${offset}) AS r
      JOIN "Course" c ON c."id" = r."id"
      LEFT JOIN LATERAL (
        SELECT s."status", s."progressPercent" FROM "LearnerCourseStat" s WHERE s."userId" = ${userId} AND s."courseId" = r."id"
      ) AS st ON true
     ORDER BY r.tier, r."createdAt" DESC, r."title", r."id"`;
}

function orderSql(filters: CatalogueFilters): Prisma.Sql {
  switch (filters.sort) {
    case "newest":
      return Prisma.sql`c."createdAt" DESC, c."title", c."id"`;
    case "duration":
      return Prisma.sql`c."durationMinutes" ASC NULLS LAST, c."title", c."id"`;
    default:
      return Prisma.sql`c."title", c."id"`;
  }
}

/** One page of the learner's catalogue (one row more than a page, to know whether another follows). */
export function catalogueRowsSql(userId: string, platformId: string, filters: CatalogueFilters, search: ResolvedSearch | null): Prisma.Sql {
  const offset = (filters.page - 1) * CATALOGUE_PAGE_SIZE;
  if (search && (filters.sort ?? "relevance") === "relevance") return rankedRowsSql(userId, platformId, filters, search, offset);
  return Prisma.sql`
    SELECT ${COLUMNS}, st."status", st."progressPercent", true AS "literalMatch"
      FROM "Course" c
      LEFT JOIN "LearnerCourseStat" st ON st."userId" = ${userId} AND st."courseId" = c."id"
     WHERE ${whereSql(userId, platformId, filters, search)}
     ORDER BY ${orderSql(filters)}
     LIMIT ${CATALOGUE_PAGE_SIZE + 1} OFFSET ${offset}`;
}

type CatalogueRow = Omit<CatalogueCourse, "partners"> & { partners: unknown; literalMatch: boolean };

/** The catalogue's courses for these filters: no count (see countCatalogue), so they come first. */
export async function listCatalogue(
  userId: string,
  platformId: string,
  filters: CatalogueFilters,
  resolved?: ResolvedSearch | null,
): Promise<CataloguePage> {
  const search = resolved === undefined ? await resolveSearch(platformId, filters.q) : resolved;
  let rows = await db.$queryRaw<CatalogueRow[]>(catalogueRowsSql(userId, platformId, filters, search));
  if (rows.length === 0 && filters.page > 1) {
    // A page past the end (a bookmark, a shrunk catalogue): the last page instead.
    const { count } = await countCatalogue(userId, platformId, filters, search);
    filters = { ...filters, page: Math.max(1, Math.ceil(count / CATALOGUE_PAGE_SIZE)) };
    rows = await db.$queryRaw<CatalogueRow[]>(catalogueRowsSql(userId, platformId, filters, search));
  }
  const courses = rows.slice(0, CATALOGUE_PAGE_SIZE).map((row) => {
    const { literalMatch, partners, ...course } = row;
    void literalMatch; // read below for the first row only
    return { ...course, partners: asPartners(partners) };
  });
  // Literal matches sort first: if the first course is not one, the words as typed found nothing.
  const didYouMean =
    search?.corrected && filters.page === 1 && rows.length > 0 && !rows[0].literalMatch && (filters.sort ?? "relevance") === "relevance"
      ? search.corrected
      : null;
  return {
    courses,
    page: filters.page,
    pageSize: CATALOGUE_PAGE_SIZE,
    hasNextPage: rows.length > CATALOGUE_PAGE_SIZE,
    search,
    didYouMean,
  };
}

/** A count that stops at a bound: exact below it, "at least" above it. */
export interface BoundedCount {
  count: number;
  /** True when there are more than `count` (shown "1,000+"). */
  more: boolean;
}

function bounded(count: number, incomplete = false): BoundedCount {
  return count > COUNT_BOUND ? { count: COUNT_BOUND, more: true } : { count, more: incomplete };
}

export function catalogueCountSql(
  userId: string,
  platformId: string,
  filters: CatalogueFilters,
  search: ResolvedSearch | null,
): Prisma.Sql {
  return Prisma.sql`
    SELECT count(*)::int AS total FROM (
      SELECT 1 FROM "Course" c WHERE ${whereSql(userId, platformId, filters, search)} LIMIT ${COUNT_BOUND + 1}) AS bounded`;
}

/** How many courses match, exact up to COUNT_BOUND. */
export async function countCatalogue(
  userId: string,
  platformId: string,
  filters: CatalogueFilters,
  search: ResolvedSearch | null,
): Promise<BoundedCount> {
  const [{ total }] = await db.$queryRaw<{ total: number }[]>(catalogueCountSql(userId, platformId, filters, search));
  return bounded(total);
}

export interface FacetValue {
  value: string;
  label?: string;
  count: BoundedCount;
}

export interface CatalogueFacets {
  /** How many courses match (the courses the facets read): the same as countCatalogue, in the same pass. */
  total: BoundedCount;
  types: FacetValue[];
  languages: FacetValue[];
  levels: FacetValue[];
  durations: FacetValue[];
  partners: FacetValue[];
  skills: FacetValue[];
  hasCoursera: boolean;
  hasNative: boolean;
}

/** Partners and skills shown in their filters: the most frequent ones (and the one chosen). */
const FACET_VALUES_SHOWN = 30;

/**
 * Facets read at most as many matching courses as the count does, so they cost
 * about what a page of results does. While the count is exact so is every
 * facet; beyond it a value's count is what the courses read hold, shown as "at
 * least" ("12+").
 */
export const FACET_SCAN_BOUND = COUNT_BOUND;

/**
 * The filter choices that lead somewhere, each with how many of the courses
 * shown it keeps (the search and every chosen filter apply), bounded by
 * FACET_SCAN_BOUND and COUNT_BOUND.
 */
export async function catalogueFacets(
  userId: string,
  platformId: string,
  filters: CatalogueFilters,
  search: ResolvedSearch | null,
): Promise<CatalogueFacets> {
  const base = Prisma.sql`${inCatalogueSql(userId, platformId)} ${matchSql(platformId, search)}`;
  const rows = await db.$queryRaw<{ facet: string; value: string | null; count: number }[]>`
    WITH m AS MATERIALIZED (
      SELECT c."id", c."source", c."contentType", c."language", lower(c."level") AS level, c."durationMinutes", c."partners"
        FROM "Course" c WHERE ${base} ${filtersSql(filters)}
       LIMIT ${FACET_SCAN_BOUND + 1}
    )
    SELECT 'read' AS facet, NULL AS value, count(*)::int AS count FROM m
    UNION ALL SELECT 'type' AS facet, m."contentType"::text AS value, count(*)::int AS count FROM m GROUP BY 2
    UNION ALL SELECT 'language', m."language", count(*)::int FROM m WHERE m."language" IS NOT NULL GROUP BY 2
    UNION ALL SELECT 'level', m.level, count(*)::int FROM m WHERE m.level IS NOT NULL GROUP BY 2
    UNION ALL SELECT 'source', m."source"::text, count(*)::int FROM m GROUP BY 2
    UNION ALL SELECT 'duration', CASE
        WHEN m."durationMinutes" < 60 THEN 'short' WHEN m."durationMinutes" < 300 THEN 'medium'
        WHEN m."durationMinutes" < 1200 THEN 'long' ELSE 'extended' END, count(*)::int
      FROM m WHERE m."durationMinutes" IS NOT NULL GROUP BY 2
    UNION ALL SELECT 'partner', p."name", count(*)::int
      FROM m, jsonb_to_recordset(CASE WHEN jsonb_typeof(m."partners") = 'array' THEN m."partners" ELSE '[]' END) AS p("name" text)
     WHERE p."name" IS NOT NULL GROUP BY 2
    UNION ALL SELECT 'skill', cs."skillId", count(*)::int FROM m JOIN "CourseSkill" cs ON cs."courseId" = m."id" GROUP BY 2`;
  const skillNames = new Map(
    (
      await db.skill.findMany({
        where: { platformId, id: { in: rows.filter((r) => r.facet === "skill" && r.value).map((r) => r.value!) } },
        select: { id: true, name: true },
      })
    ).map((s) => [s.id, s.name]),
  );
  const read = rows.find((r) => r.facet === "read")?.count ?? 0;
  const incomplete = read > FACET_SCAN_BOUND;
  const facet = (name: string) =>
    rows
      .filter((r) => r.facet === name && r.value !== null)
      .map((r) => ({ value: r.value!, count: bounded(r.count, incomplete) }))
      .sort((a, b) => b.count.count - a.count.count || a.value.localeCompare(b.value));
  const top = (values: FacetValue[], chosen: string | undefined) => values.filter((v, i) => i < FACET_VALUES_SHOWN || v.value === chosen);
  const sources = new Set(rows.filter((r) => r.facet === "source").map((r) => r.value));
  const durationOrder = Object.keys(DURATION_BANDS);
  return {
    total: bounded(read),
    types: facet("type"),
    languages: facet("language"),
    levels: facet("level").sort((a, b) => courseLevelRank(a.value) - courseLevelRank(b.value) || a.value.localeCompare(b.value)),
    durations: facet("duration").sort((a, b) => durationOrder.indexOf(a.value) - durationOrder.indexOf(b.value)),
    partners: top(facet("partner"), filters.partner),
    skills: top(
      facet("skill").map((s) => ({ ...s, label: skillNames.get(s.value) ?? s.value })),
      filters.skill,
    ),
    hasCoursera: sources.has("COURSERA"),
    hasNative: sources.has("NATIVE"),
  };
}
