import "server-only";
import { db, Prisma } from "@/lib/db";
import { visibleGroupIdsSql } from "@/lib/catalogue/visibility";
import type { CompletionStatus, ContentType, CourseSource, StepStatus } from "@/lib/generated/prisma/enums";
import { CATALOGUE_PAGE_SIZE, type CatalogueFilters } from "@/lib/learning/schema";
import { mergeStepStatus, sessionPercent, withUnlockState } from "@/lib/learning/unlock";

/**
 * What a learner sees. Every query takes the learner's id and platform and
 * decides visibility in SQL, so a course or session of another platform, or
 * one the learner may not see, is simply not found.
 *
 * Visibility:
 *  - Coursera courses: to members of the groups that receive them (the
 *    connector's synchronized group and its public subgroups, only while the
 *    connector is enabled: lib/catalogue/visibility.ts). Enrolment in a session
 *    does not widen this: Coursera grants access by the synchronized group.
 *  - Native courses: placed (CourseGroup) in one of the learner's groups or in
 *    a group they inherit from (a public group inherits its parent's catalogue,
 *    a private one does not); or a step of a session the learner is enrolled in.
 *  - Retired courses: nowhere.
 */

// ─── Visibility ──────────────────────────────────────────────────────────

/** The learner's groups and the ancestors whose catalogue they inherit through public groups. */
function catalogueGroupIdsSql(userId: string, platformId: string): Prisma.Sql {
  return Prisma.sql`
    WITH RECURSIVE inherited AS (
      SELECT g."id", g."parentId", g."isPublic" FROM "GroupMembership" m
        JOIN "Group" g ON g."id" = m."groupId"
       WHERE m."userId" = ${userId} AND g."platformId" = ${platformId}
      UNION
      SELECT parent."id", parent."parentId", parent."isPublic" FROM "Group" parent
        JOIN inherited child ON parent."id" = child."parentId"
       WHERE child."isPublic" = true
    )
    SELECT "id" FROM inherited`;
}

/** Whether the learner belongs to a group that receives Coursera courses: evaluated once per query. */
function seesCourseraSql(userId: string, platformId: string): Prisma.Sql {
  return Prisma.sql`EXISTS (
    SELECT 1 FROM "GroupMembership" vm
     WHERE vm."userId" = ${userId} AND vm."groupId" IN (${visibleGroupIdsSql(platformId)}))`;
}

/** Condition on the course aliased `c`: it is in the learner's catalogue. */
function inCatalogueSql(userId: string, platformId: string): Prisma.Sql {
  return Prisma.sql`(
    c."platformId" = ${platformId} AND c."retiredAt" IS NULL AND (
      (c."source" = 'COURSERA' AND ${seesCourseraSql(userId, platformId)})
      OR (c."source" = 'NATIVE' AND EXISTS (
        SELECT 1 FROM "CourseGroup" cg
         WHERE cg."courseId" = c."id" AND cg."groupId" IN (${catalogueGroupIdsSql(userId, platformId)})))
    ))`;
}

/** Condition on the course aliased `c`: the learner may open it (catalogue, or a native step of their session). */
function accessibleSql(userId: string, platformId: string): Prisma.Sql {
  return Prisma.sql`(
    ${inCatalogueSql(userId, platformId)}
    OR (c."platformId" = ${platformId} AND c."retiredAt" IS NULL AND c."source" = 'NATIVE' AND EXISTS (
      SELECT 1 FROM "ProgramStep" ps
        JOIN "Program" pr ON pr."id" = ps."programId" AND pr."platformId" = ${platformId}
        JOIN "ProgramSession" ss ON ss."programId" = pr."id"
        JOIN "SessionEnrollment" se ON se."sessionId" = ss."id" AND se."userId" = ${userId}
       WHERE ps."courseId" = c."id"))
  )`;
}

// ─── Search ──────────────────────────────────────────────────────────────

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

// ─── Catalogue ───────────────────────────────────────────────────────────

export interface Partner {
  name: string;
  logoUrl?: string | null;
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

function asPartners(value: unknown): Partner[] {
  if (!Array.isArray(value)) return [];
  return value.filter((p): p is Partner => typeof p === "object" && p !== null && typeof (p as Partner).name === "string");
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

// ─── A course ────────────────────────────────────────────────────────────

export interface LearnerStat {
  status: CompletionStatus;
  progressPercent: number;
  scorePercent: number | null;
  lastActivityAt: Date | null;
  timeSpentMinutes: number;
  completedAt: Date | null;
  reportedAt: Date | null;
}

export interface LearnerCourse {
  id: string;
  title: string;
  description: string;
  source: CourseSource;
  contentType: ContentType;
  language: string | null;
  subtitleLanguages: string[];
  level: string | null;
  durationMinutes: number | null;
  imageUrl: string | null;
  hasLaunchUrl: boolean;
  partners: Partner[];
  instructors: { name: string; title?: string | null }[];
  /** Skills an admin attached to the course. */
  skills: { id: string; name: string }[];
  /** Coursera's numbers for this learner, once a statistics sync brought them. */
  stat: LearnerStat | null;
  /** The learner's own last START: their intent, not Coursera's progress. */
  lastLaunchedAt: Date | null;
}

/** A course the learner may open, or null (unknown, another platform's, retired, or not visible to them). */
export async function getLearnerCourse(userId: string, platformId: string, courseId: string): Promise<LearnerCourse | null> {
  const visible = await db.$queryRaw<{ id: string }[]>`
    SELECT c."id" FROM "Course" c WHERE c."id" = ${courseId} AND ${accessibleSql(userId, platformId)}`;
  if (visible.length === 0) return null;
  const course = await db.course.findUnique({
    where: { id: courseId },
    select: {
      id: true,
      title: true,
      description: true,
      source: true,
      contentType: true,
      language: true,
      subtitleLanguages: true,
      level: true,
      durationMinutes: true,
      imageUrl: true,
      launchUrl: true,
      partners: true,
      instructors: true,
      skills: { select: { skill: { select: { id: true, name: true } } }, orderBy: { skill: { nameKey: "asc" } } },
      stats: {
        where: { userId },
        select: {
          status: true,
          progressPercent: true,
          scorePercent: true,
          lastActivityAt: true,
          timeSpentMinutes: true,
          completedAt: true,
          reportedAt: true,
        },
      },
      launches: { where: { userId }, orderBy: { launchedAt: "desc" }, take: 1, select: { launchedAt: true } },
    },
  });
  if (!course) return null;
  const instructors = Array.isArray(course.instructors)
    ? (course.instructors as unknown[]).filter(
        (i): i is { name: string; title?: string | null } => typeof (i as { name?: unknown })?.name === "string",
      )
    : [];
  return {
    id: course.id,
    title: course.title,
    description: course.description,
    source: course.source,
    contentType: course.contentType,
    language: course.language,
    subtitleLanguages: course.subtitleLanguages,
    level: course.level,
    durationMinutes: course.durationMinutes,
    imageUrl: course.imageUrl,
    hasLaunchUrl: Boolean(course.launchUrl),
    partners: asPartners(course.partners),
    instructors,
    skills: course.skills.map((s) => s.skill),
    stat: course.stats[0] ?? null,
    lastLaunchedAt: course.launches[0]?.launchedAt ?? null,
  };
}

/** The launch URL of a course the learner may open, or null. */
export async function findLaunchableCourse(
  userId: string,
  platformId: string,
  courseId: string,
): Promise<{ id: string; source: CourseSource; launchUrl: string | null } | null> {
  const rows = await db.$queryRaw<{ id: string; source: CourseSource; launchUrl: string | null }[]>`
    SELECT c."id", c."source", c."launchUrl" FROM "Course" c WHERE c."id" = ${courseId} AND ${accessibleSql(userId, platformId)}`;
  return rows[0] ?? null;
}

// ─── Program sessions ────────────────────────────────────────────────────

export interface LearnerStep {
  stepId: string;
  position: number;
  courseId: string;
  title: string;
  source: CourseSource;
  contentType: ContentType;
  durationMinutes: number | null;
  partners: Partner[];
  /** Whether the learner may open the step's course (a retired Coursera course, or one outside their groups, cannot be). */
  available: boolean;
  hasLaunchUrl: boolean;
  status: StepStatus;
  startedAt: Date | null;
  completedAt: Date | null;
  stat: Pick<LearnerStat, "status" | "progressPercent" | "lastActivityAt" | "reportedAt"> | null;
  unlocked: boolean;
}

export interface LearnerSession {
  id: string;
  name: string;
  programName: string;
  programDescription: string;
  startsAt: Date | null;
  endsAt: Date | null;
  steps: LearnerStep[];
  completedSteps: number;
  totalSteps: number;
  percent: number;
}

/** A session the learner is enrolled in, on their platform, with each step's state; null otherwise. */
export async function getLearnerSession(userId: string, platformId: string, sessionId: string): Promise<LearnerSession | null> {
  const session = await db.programSession.findFirst({
    where: { id: sessionId, program: { platformId }, enrollments: { some: { userId } } },
    select: {
      id: true,
      name: true,
      startsAt: true,
      endsAt: true,
      program: {
        select: {
          name: true,
          description: true,
          steps: {
            orderBy: { position: "asc" },
            select: {
              id: true,
              position: true,
              course: {
                select: { id: true, title: true, source: true, contentType: true, durationMinutes: true, partners: true, launchUrl: true },
              },
            },
          },
        },
      },
    },
  });
  if (!session) return null;
  const steps = session.program.steps;
  const courseIds = [...new Set(steps.map((s) => s.course.id))];
  const [progress, stats, accessible] = await Promise.all([
    db.stepProgress.findMany({ where: { sessionId, userId }, select: { stepId: true, status: true, startedAt: true, completedAt: true } }),
    db.learnerCourseStat.findMany({
      where: { userId, courseId: { in: courseIds } },
      select: { courseId: true, status: true, progressPercent: true, lastActivityAt: true, completedAt: true, reportedAt: true },
    }),
    courseIds.length
      ? db.$queryRaw<
          { id: string }[]
        >`SELECT c."id" FROM "Course" c WHERE c."id" IN (${Prisma.join(courseIds)}) AND ${accessibleSql(userId, platformId)}`
      : Promise.resolve([]),
  ]);
  const progressByStep = new Map(progress.map((p) => [p.stepId, p]));
  const statByCourse = new Map(stats.map((s) => [s.courseId, s]));
  const accessibleIds = new Set(accessible.map((r) => r.id));

  const merged = steps.map((step) => {
    const recorded = progressByStep.get(step.id);
    const stat = step.course.source === "COURSERA" ? (statByCourse.get(step.course.id) ?? null) : null;
    const status = mergeStepStatus(recorded?.status, stat?.status);
    return {
      stepId: step.id,
      position: step.position,
      courseId: step.course.id,
      title: step.course.title,
      source: step.course.source,
      contentType: step.course.contentType,
      durationMinutes: step.course.durationMinutes,
      partners: asPartners(step.course.partners),
      available: accessibleIds.has(step.course.id),
      hasLaunchUrl: Boolean(step.course.launchUrl),
      status,
      startedAt: recorded?.startedAt ?? (status !== "NOT_STARTED" ? (stat?.lastActivityAt ?? null) : null),
      completedAt: recorded?.completedAt ?? (status === "COMPLETED" ? (stat?.completedAt ?? null) : null),
      stat: stat
        ? { status: stat.status, progressPercent: stat.progressPercent, lastActivityAt: stat.lastActivityAt, reportedAt: stat.reportedAt }
        : null,
    };
  });
  const withLocks = withUnlockState(merged);
  const { completed, total, percent } = sessionPercent(withLocks);
  return {
    id: session.id,
    name: session.name,
    programName: session.program.name,
    programDescription: session.program.description,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    steps: withLocks,
    completedSteps: completed,
    totalSteps: total,
    percent,
  };
}

export interface LearnerSessionSummary {
  id: string;
  name: string;
  programName: string;
  startsAt: Date | null;
  endsAt: Date | null;
  completedSteps: number;
  totalSteps: number;
  percent: number;
}

/** The sessions the learner is enrolled in, most recent first, with their progress. */
export async function listLearnerSessions(userId: string, platformId: string): Promise<LearnerSessionSummary[]> {
  const sessions = await db.programSession.findMany({
    where: { program: { platformId }, enrollments: { some: { userId } } },
    orderBy: [{ startsAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
    select: {
      id: true,
      name: true,
      startsAt: true,
      endsAt: true,
      program: { select: { name: true, steps: { select: { id: true, courseId: true, course: { select: { source: true } } } } } },
      progress: { where: { userId }, select: { stepId: true, status: true } },
    },
  });
  const courseIds = [
    ...new Set(sessions.flatMap((s) => s.program.steps.filter((p) => p.course.source === "COURSERA").map((p) => p.courseId))),
  ];
  const stats = courseIds.length
    ? await db.learnerCourseStat.findMany({ where: { userId, courseId: { in: courseIds } }, select: { courseId: true, status: true } })
    : [];
  const statByCourse = new Map(stats.map((s) => [s.courseId, s.status]));
  return sessions.map((s) => {
    const recorded = new Map(s.progress.map((p) => [p.stepId, p.status]));
    const steps = s.program.steps.map((step) => ({
      status: mergeStepStatus(recorded.get(step.id), step.course.source === "COURSERA" ? statByCourse.get(step.courseId) : null),
    }));
    const { completed, total, percent } = sessionPercent(steps);
    return {
      id: s.id,
      name: s.name,
      programName: s.program.name,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      completedSteps: completed,
      totalSteps: total,
      percent,
    };
  });
}
