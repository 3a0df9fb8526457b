import "server-only";
import { z } from "zod";
import { db, Prisma } from "@/lib/db";
import { ContentType } from "@/lib/generated/prisma/enums";
import { listReceivingGroupIds } from "@/lib/catalogue/visibility";
import { skillKey } from "@/lib/skills/schema";
import { containsPattern } from "@/lib/sql/like";
import { sortLevels } from "@/lib/catalogue/levels";
import { filterValueSchema, parseSearchParams, searchTextSchema, type SearchParamsInput } from "@/lib/input/text";
import type { CourseTablePage } from "@/lib/catalogue/admin-table";

/**
 * The admin's view of a platform's Coursera catalogue: a table paged, sorted
 * and filtered in the database (100,000 courses per platform is normal), and
 * one course with everything an admin needs to tag it.
 */

export const COURSE_SORTS = ["title", "type", "language", "level", "updated"] as const;
export const PAGE_SIZES = [25, 50, 100] as const;

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** The table's state, read from the URL's search params (so links, back and reload keep it). */
export const courseListParamsSchema = z.object({
  q: searchTextSchema(200),
  type: z.preprocess(emptyToUndefined, z.enum(ContentType).optional()).catch(undefined),
  // Kept as typed, even when they name nothing: such a filter selects nothing, it is never dropped.
  language: filterValueSchema,
  level: filterValueSchema,
  skill: filterValueSchema,
  noSkills: z.preprocess((v) => v === "1" || v === "true" || v === true, z.boolean()).default(false),
  status: z.enum(["active", "retired", "all"]).catch("active").default("active"),
  sort: z.enum(COURSE_SORTS).catch("title").default("title"),
  dir: z.enum(["asc", "desc"]).catch("asc").default("asc"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
  size: z.coerce
    .number()
    .int()
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n))
    .catch(25)
    .default(25),
});

export type CourseListParams = z.output<typeof courseListParamsSchema>;

/** Parses Next's searchParams (string | string[] | undefined per key); a bad value falls back to its own default, never the others. */
export function parseCourseListParams(searchParams: SearchParamsInput): CourseListParams {
  return parseSearchParams(courseListParamsSchema, searchParams);
}

/** The table's filters as SQL over "Course" c, every value a bound parameter. */
function courseWhereSql(platformId: string, p: CourseListParams): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`c."platformId" = ${platformId}`, Prisma.sql`c."source" = 'COURSERA'`];
  if (p.status === "active") parts.push(Prisma.sql`c."retiredAt" IS NULL`);
  if (p.status === "retired") parts.push(Prisma.sql`c."retiredAt" IS NOT NULL`);
  // titleKey is lower(title), trigram-indexed: a case-sensitive LIKE on it is the case-insensitive search, without ILIKE's cost.
  if (p.q) parts.push(Prisma.sql`c."titleKey" LIKE ${containsPattern(p.q.toLowerCase())}`);
  if (p.type) parts.push(Prisma.sql`c."contentType" = ${p.type}::"ContentType"`);
  if (p.language) parts.push(Prisma.sql`c."language" = ${p.language}`);
  if (p.level) parts.push(Prisma.sql`c."level" = ${p.level}`);
  // The skill filter only ever matches the platform's own skills: the join goes through this platform's courses.
  if (p.skill) parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "CourseSkill" cs WHERE cs."courseId" = c."id" AND cs."skillId" = ${p.skill})`);
  if (p.noSkills) parts.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM "CourseSkill" cs WHERE cs."courseId" = c."id")`);
  return Prisma.join(parts, " AND ");
}

function courseOrderSql(p: CourseListParams): Prisma.Sql {
  const dir = Prisma.raw(p.dir === "desc" ? "DESC" : "ASC");
  const byField: Record<(typeof COURSE_SORTS)[number], Prisma.Sql> = {
    title: Prisma.sql`c."title" ${dir}`,
    type: Prisma.sql`c."contentType" ${dir}`,
    language: Prisma.sql`c."language" ${dir} NULLS LAST`,
    // `level` is a free string, sorted by its reading order (lib/catalogue/levels.ts, whatever the case), then other values
    // alphabetically: "levelRank" is that rank, written by PostgreSQL, NULL without a level, so such courses stay last in both
    // directions, as for language. An index per direction holds this whole ORDER BY (migration 20261203063000_course_level_rank).
    level: Prisma.sql`c."levelRank" ${dir} NULLS LAST, lower(c."level") ${dir}`,
    updated: Prisma.sql`c."updatedAt" ${dir}`,
  };
  // The id breaks ties, so paging never shows a row twice or skips one.
  return Prisma.sql`${byField[p.sort]}, c."id" ${dir}`;
}

/**
 * Counting every match of a search or a filter means testing every matching row
 * of the catalogue (a common word matches thousands of 100,000 titles; an exact
 * count of a filter took ≈ 10 ms of PostgreSQL at 100,000 courses): such lists
 * are counted up to this many rows past the current page's start, shown as
 * "1,000+", so the next page is always known to exist and the admin can page
 * on. The unfiltered list is counted exactly (an index-only count).
 */
export const SEARCH_COUNT_CAP = 1000;

function isNarrowed(p: CourseListParams): boolean {
  return Boolean(p.q || p.type || p.language || p.level || p.skill || p.noSkills);
}

export async function listAdminCourses(platformId: string, params: CourseListParams) {
  const where = courseWhereSql(platformId, params);
  const offset = (params.page - 1) * params.size;
  const cap = isNarrowed(params) ? offset + SEARCH_COUNT_CAP + 1 : undefined;
  const [rows, counted] = await Promise.all([
    db.$queryRaw<AdminCourseListRow[]>`
      SELECT c."id", c."title", c."contentType", c."language", c."level", c."retiredAt", c."updatedAt"
        FROM "Course" c
       WHERE ${where}
       ORDER BY ${courseOrderSql(params)}
       LIMIT ${params.size} OFFSET ${offset}`,
    cap
      ? db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (SELECT 1 FROM "Course" c WHERE ${where} LIMIT ${cap}) t`
      : db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Course" c WHERE ${where}`,
  ]);
  const total = counted[0]?.n ?? 0;
  const skills = await skillsOfCourses(rows.map((r) => r.id));
  const capped = cap !== undefined && total >= cap;
  return {
    total: capped ? cap - 1 : total,
    /** True when `total` is a lower bound ("1,000+"). */
    totalIsLowerBound: capped,
    page: params.page,
    pageSize: params.size,
    pageCount: Math.max(1, Math.ceil(total / params.size)),
    rows: rows.map((r) => ({ ...r, skills: skills.get(r.id) ?? [] })),
  };
}

interface AdminCourseListRow {
  id: string;
  title: string;
  contentType: ContentType;
  language: string | null;
  level: string | null;
  retiredAt: Date | null;
  updatedAt: Date;
}

/**
 * The skills of a page of courses, by name, in one query (a nested Prisma
 * select takes two: the links, then the skills).
 */
async function skillsOfCourses(courseIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const byCourse = new Map<string, { id: string; name: string }[]>();
  if (courseIds.length === 0) return byCourse;
  const links = await db.$queryRaw<{ courseId: string; id: string; name: string }[]>`
    SELECT cs."courseId", s."id", s."name"
      FROM "CourseSkill" cs JOIN "Skill" s ON s."id" = cs."skillId"
     WHERE cs."courseId" = ANY(${courseIds})
     ORDER BY s."nameKey"`;
  for (const { courseId, id, name } of links) {
    const list = byCourse.get(courseId);
    if (list) list.push({ id, name });
    else byCourse.set(courseId, [{ id, name }]);
  }
  return byCourse;
}

export type AdminCourseRow = Awaited<ReturnType<typeof listAdminCourses>>["rows"][number];

/** A page of the admin courses table with only what it shows: its first render and its JSON route send the same. */
export async function listAdminCoursesTable(platformId: string, params: CourseListParams): Promise<CourseTablePage> {
  const list = await listAdminCourses(platformId, params);
  return {
    rows: list.rows.map((r) => ({
      id: r.id,
      title: r.title,
      contentType: r.contentType,
      language: r.language,
      level: r.level,
      retired: r.retiredAt !== null,
      skills: r.skills,
    })),
    total: list.total,
    totalIsLowerBound: list.totalIsLowerBound,
    page: list.page,
    pageSize: list.pageSize,
  };
}

/**
 * The values the filters offer. DISTINCT over 100,000 rows is not free, and
 * these only change with a catalogue sync, so they are kept for a minute.
 */
const facetCache = new Map<string, { at: number; value: { languages: string[]; levels: string[] } }>();
const FACET_TTL_MS = 60_000;

export async function getCourseFacets(platformId: string): Promise<{ languages: string[]; levels: string[] }> {
  const hit = facetCache.get(platformId);
  if (hit && Date.now() - hit.at < FACET_TTL_MS) return hit.value;
  const [languages, levels] = await Promise.all([
    db.$queryRaw<
      { v: string }[]
    >`SELECT DISTINCT "language" AS v FROM "Course" WHERE "platformId" = ${platformId} AND "source" = 'COURSERA' AND "language" IS NOT NULL ORDER BY 1`,
    db.$queryRaw<
      { v: string }[]
    >`SELECT DISTINCT "level" AS v FROM "Course" WHERE "platformId" = ${platformId} AND "source" = 'COURSERA' AND "level" IS NOT NULL ORDER BY 1`,
  ]);
  const value = { languages: languages.map((r) => r.v), levels: sortLevels(levels.map((r) => r.v)) };
  facetCache.set(platformId, { at: Date.now(), value });
  return value;
}

const jsonArray = z.array(z.unknown()).catch([]);
const partnerSchema = z.object({ name: z.string(), logoUrl: z.string().nullish() });
const instructorSchema = z.object({ name: z.string(), title: z.string().nullish(), photoUrl: z.string().nullish() });
const courseraSkillSchema = z.object({ id: z.string().nullish(), name: z.string() });

function parseList<T>(json: unknown, schema: z.ZodType<T>): T[] {
  return jsonArray.parse(json).flatMap((item) => {
    const parsed = schema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

/** One course of the platform with its skills, Coursera's suggestions, where it is visible and its statistics. */
export async function getAdminCourse(platformId: string, courseId: string) {
  const course = await db.course.findFirst({
    where: { id: courseId, platformId },
    select: {
      id: true,
      source: true,
      courseraContentId: true,
      title: true,
      description: true,
      contentType: true,
      language: true,
      subtitleLanguages: true,
      level: true,
      durationMinutes: true,
      imageUrl: true,
      launchUrl: true,
      partners: true,
      instructors: true,
      courseraSkills: true,
      courseraUpdatedAt: true,
      retiredAt: true,
      createdAt: true,
      updatedAt: true,
      skills: {
        select: { addedAt: true, skill: { select: { id: true, name: true, nameKey: true } } },
        orderBy: { skill: { nameKey: "asc" } },
      },
    },
  });
  if (!course) return null;

  const [receivingIds, statusCounts, averages] = await Promise.all([
    course.source === "COURSERA" && !course.retiredAt ? listReceivingGroupIds(platformId) : Promise.resolve([] as string[]),
    db.learnerCourseStat.groupBy({ by: ["status"], where: { platformId, courseId }, _count: true }),
    db.learnerCourseStat.aggregate({
      where: { platformId, courseId },
      _avg: { progressPercent: true, scorePercent: true },
      _sum: { timeSpentMinutes: true },
    }),
  ]);
  const groups = receivingIds.length
    ? await db.group.findMany({
        where: { id: { in: receivingIds }, platformId },
        select: { id: true, name: true },
        orderBy: { name: "asc" },
      })
    : [];
  const count = (s: string) => statusCounts.find((c) => c.status === s)?._count ?? 0;
  const learners = statusCounts.reduce((n, c) => n + c._count, 0);
  const attachedKeys = new Set(course.skills.map((s) => s.skill.nameKey));
  const courseraSkills = parseList(course.courseraSkills, courseraSkillSchema);

  return {
    ...course,
    partners: parseList(course.partners, partnerSchema),
    instructors: parseList(course.instructors, instructorSchema),
    courseraSkills,
    skills: course.skills.map((s) => ({ id: s.skill.id, name: s.skill.name, addedAt: s.addedAt })),
    /** Coursera's skills not attached yet: one click each to accept. */
    skillSuggestions: courseraSkills.filter((s) => !attachedKeys.has(skillKey(s.name))).map((s) => s.name),
    visibleIn: groups,
    stats: {
      learners,
      completed: count("COMPLETED"),
      inProgress: count("IN_PROGRESS"),
      notStarted: count("NOT_STARTED"),
      completionRate: learners ? count("COMPLETED") / learners : null,
      averageProgress: averages._avg.progressPercent,
      averageScore: averages._avg.scorePercent,
      totalMinutes: averages._sum.timeSpentMinutes ?? 0,
    },
  };
}
