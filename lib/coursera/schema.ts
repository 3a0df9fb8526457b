import { z } from "zod";

/**
 * Raw Coursera API shapes (see /work/shared/coursera-api.md) and their normalisation into the
 * product's own types. Coursera does not publish the full schema, so parsing is deliberately
 * tolerant: only the fields the product cannot do without (an id, a name, timestamps used for change
 * detection, progress) make an element invalid; decorative metadata that is missing or odd is dropped
 * silently. An invalid element is reported with a reason an admin can read, never thrown.
 */

// ---------------------------------------------------------------------------------------------
// Product types

export const CONTENT_TYPES = [
  "COURSE",
  "SPECIALIZATION",
  "PROFESSIONAL_CERTIFICATE",
  "GUIDED_PROJECT",
  "PROJECT",
  "VIDEO",
  "OTHER",
] as const;
export type CourseraContentType = (typeof CONTENT_TYPES)[number];

export const CONTENT_LEVELS = ["BEGINNER", "INTERMEDIATE", "ADVANCED", "MIXED"] as const;
export type CourseraContentLevel = (typeof CONTENT_LEVELS)[number];

export interface CourseraContent {
  contentId: string;
  contentType: CourseraContentType;
  title: string;
  description: string;
  slug: string | null;
  language: string | null;
  subtitleLanguages: string[];
  level: CourseraContentLevel | null;
  durationMinutes: number | null;
  imageUrl: string | null;
  partners: { name: string; logoUrl: string | null }[];
  instructors: { name: string; title: string | null; photoUrl: string | null }[];
  programIds: string[];
  /** Program-scoped link that keeps the organisation's context (first `programs[].contentUrl`). */
  launchUrl: string | null;
  /** Every program's link, in Coursera's order (the sync keeps the first one on Coursera's hosts). */
  launchUrls?: string[];
  skills: { id: string; name: string }[];
  domains: { id: string; name: string }[];
  courseraUpdatedAt: Date | null;
}

export interface CourseraEnrollment {
  recordId: string;
  externalId: string | null;
  email: string | null;
  fullName: string | null;
  programId: string | null;
  contentId: string;
  contentType: CourseraContentType;
  contentName: string | null;
  enrolledAt: Date | null;
  lastActivityAt: Date | null;
  isCompleted: boolean;
  completedAt: Date | null;
  /** 0..100 */
  progressPercent: number;
  /** 0..100 with two decimals, null when Coursera reports no grade. */
  scorePercent: number | null;
  timeSpentMinutes: number | null;
  membershipState: string | null;
}

export interface CourseraProgram {
  programId: string;
  name: string;
  tagline: string | null;
  url: string | null;
  contentIds: string[];
}

export interface InvalidElement {
  id: string | null;
  reason: string;
}

export type ElementResult<T> = { ok: true; value: T } | ({ ok: false } & InvalidElement);

// ---------------------------------------------------------------------------------------------
// Field helpers

const NUMERIC_STRING = /^\s*-?\d+(\.\d+)?\s*$/;

function toNumberOrUndefined(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && NUMERIC_STRING.test(v)) return Number(v);
  return undefined;
}

/** A number that matters: absent/null is fine, anything else that is not a number invalidates the element. */
const requiredShapeNumber = z.unknown().transform((v, ctx): number | null => {
  if (v === undefined || v === null) return null;
  const n = toNumberOrUndefined(v);
  if (n === undefined) {
    ctx.addIssue({ code: "custom", message: "is not a number" });
    return z.NEVER;
  }
  return n;
});

/** A number that is only decoration: anything unreadable becomes null. */
const lenientNumber = z.unknown().transform((v): number | null => toNumberOrUndefined(v) ?? null);

const lenientString = z.unknown().transform((v): string | null => {
  if (typeof v === "string") return v.trim() === "" ? null : v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return null;
});

const lenientBoolean = z.unknown().transform((v): boolean | null => {
  if (typeof v === "boolean") return v;
  if (v === "true" || v === 1) return true;
  if (v === "false" || v === 0) return false;
  return null;
});

/** An identifier: strings, or numbers some payloads use, trimmed; empty counts as missing. */
const idString = z.unknown().transform((v): string | null => {
  if (typeof v === "string") return v.trim() === "" ? null : v.trim();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return null;
});

/**
 * A list whose bad entries are dropped one by one rather than failing the element. Entries are read by
 * plain functions, not nested zod schemas: this runs for every partner, skill and program of every
 * element, and a per-entry safeParse made it the slowest part of reading a page.
 */
function lenientArray<T>(read: (entry: unknown) => T | null) {
  return z.unknown().transform((v): T[] => {
    if (!Array.isArray(v)) return [];
    const out: T[] = [];
    for (const entry of v) {
      const r = read(entry);
      if (r !== null) out.push(r);
    }
    return out;
  });
}

type Obj = Record<string, unknown>;
const asObject = (v: unknown): Obj | null => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : null);
const asText = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);
const asId = (v: unknown): string | null =>
  typeof v === "string" ? (v.trim() === "" ? null : v.trim()) : typeof v === "number" && Number.isFinite(v) ? String(v) : null;

const readPartner = (v: unknown) => {
  const o = asObject(v);
  const name = asText(o?.name);
  return o && name ? { name, logoUrl: asText(o.logoUrl) } : null;
};
const readInstructor = (v: unknown) => {
  const o = asObject(v);
  const name = asText(o?.name);
  return o && name ? { name, title: asText(o.title), photoUrl: asText(o.photoUrl) } : null;
};
const readContentProgram = (v: unknown) => {
  const o = asObject(v);
  const programId = asId(o?.programId);
  return o && programId ? { programId, contentUrl: asText(o.contentUrl) } : null;
};
const readSkill = (v: unknown) => {
  const o = asObject(v);
  const id = asId(o?.skillId);
  const name = asText(o?.skillName);
  return id && name ? { id, name } : null;
};
const readDomain = (v: unknown) => {
  const d = asObject(asObject(v)?.domain);
  const id = asId(d?.domainId);
  const name = asText(d?.name);
  return id && name ? { id, name } : null;
};
const readProgramContentId = (v: unknown) => asId(v) ?? asId(asObject(v)?.contentId);

// ---------------------------------------------------------------------------------------------
// Raw schemas

export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().nullish(),
  expires_in: lenientNumber,
  issued_at: z.unknown().optional(),
});
export type TokenResponse = z.output<typeof tokenResponseSchema>;

export const pagingEnvelopeSchema = z.looseObject({
  elements: z.array(z.unknown()),
  paging: z
    .looseObject({
      next: z.union([z.string(), z.number()]).nullish(),
      total: lenientNumber.optional(),
    })
    .nullish(),
  linked: z.unknown().optional(),
});
export type PagingEnvelope = z.output<typeof pagingEnvelopeSchema>;

export const contentElementSchema = z.looseObject({
  contentId: idString.optional(),
  id: idString.optional(),
  contentType: lenientString.optional(),
  name: z.string().trim().min(1),
  slug: lenientString.optional(),
  description: lenientString.optional(),
  languageCode: lenientString.optional(),
  subtitleLanguageCodes: lenientArray(asText).optional(),
  difficultyLevel: lenientString.optional(),
  lastUpdatedAt: requiredShapeNumber.optional(),
  partners: lenientArray(readPartner).optional(),
  instructors: lenientArray(readInstructor).optional(),
  programs: lenientArray(readContentProgram).optional(),
  extraMetadata: z
    .looseObject({
      typeName: lenientString.optional(),
      definition: z
        .looseObject({
          promoPhoto: lenientString.optional(),
          estimatedLearningTime: lenientNumber.optional(),
          skills: lenientArray(readSkill).optional(),
          domainTypes: lenientArray(readDomain).optional(),
        })
        .nullish()
        .catch(null),
    })
    .nullish()
    .catch(null),
});

export const programElementSchema = z.looseObject({
  id: idString.optional(),
  programId: idString.optional(),
  name: z.string().trim().min(1),
  tagline: lenientString.optional(),
  url: lenientString.optional(),
  contentIds: lenientArray(readProgramContentId).optional(),
});

export const enrollmentElementSchema = z.looseObject({
  id: idString.optional(),
  programId: idString.optional(),
  programName: lenientString.optional(),
  programSlug: lenientString.optional(),
  externalId: lenientString.optional(),
  email: lenientString.optional(),
  fullName: lenientString.optional(),
  contentId: z.unknown().transform((v, ctx): string => {
    const id = idString.parse(v);
    if (id === null) {
      ctx.addIssue({ code: "custom", message: "is missing" });
      return z.NEVER;
    }
    return id;
  }),
  contentType: lenientString.optional(),
  contentName: lenientString.optional(),
  contentSlug: lenientString.optional(),
  membershipState: lenientString.optional(),
  enrolledAt: requiredShapeNumber.optional(),
  lastActivityAt: requiredShapeNumber.optional(),
  isCompleted: lenientBoolean.optional(),
  completedAt: requiredShapeNumber.optional(),
  overallProgress: requiredShapeNumber.optional(),
  grade: requiredShapeNumber.optional(),
  approxTotalCourseHrs: lenientNumber.optional(),
  approxTotalLearningHours: lenientNumber.optional(),
});

// ---------------------------------------------------------------------------------------------
// Normalisers

const CONTENT_TYPE_MAP: Record<string, CourseraContentType> = {
  course: "COURSE",
  specialization: "SPECIALIZATION",
  specialisation: "SPECIALIZATION",
  s12n: "SPECIALIZATION",
  professionalcertificate: "PROFESSIONAL_CERTIFICATE",
  guidedproject: "GUIDED_PROJECT",
  project: "PROJECT",
  video: "VIDEO",
};

/** "Course", "GUIDED_PROJECT", "guided-project" all map; anything unknown is OTHER. */
export function normaliseContentType(raw: string | null | undefined): CourseraContentType {
  if (!raw) return "OTHER";
  return CONTENT_TYPE_MAP[raw.toLowerCase().replace(/[^a-z0-9]/g, "")] ?? "OTHER";
}

export function normaliseLevel(raw: string | null | undefined): CourseraContentLevel | null {
  if (!raw) return null;
  const upper = raw.trim().toUpperCase();
  return (CONTENT_LEVELS as readonly string[]).includes(upper) ? (upper as CourseraContentLevel) : null;
}

/**
 * Coursera documents epoch milliseconds but some sources send seconds. Any value below 1e11 would be
 * a date before 1973 in ms, so it is read as seconds. 0 and negatives mean "never".
 */
export function epochToDate(value: number | null | undefined): Date | null {
  if (value === null || value === undefined || !Number.isFinite(value) || value <= 0) return null;
  const ms = value < 1e11 ? value * 1000 : value;
  const d = new Date(Math.round(ms));
  return Number.isNaN(d.getTime()) ? null : d;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** grade is a 0..1 fraction; a value above 1 can only be a percentage already. */
export function gradeToPercent(grade: number | null | undefined): number | null {
  if (grade === null || grade === undefined || !Number.isFinite(grade)) return null;
  if (grade < 0) return 0;
  const percent = grade <= 1 ? grade * 100 : grade;
  return round2(Math.min(100, percent));
}

function hoursToMinutes(hours: number | null | undefined): number | null {
  if (hours === null || hours === undefined || !Number.isFinite(hours) || hours < 0) return null;
  return Math.round(hours * 60);
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const EXPECTED_PHRASE: Record<string, string> = {
  string: "a text",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
};

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Turns zod issues into one sentence an admin can read, e.g. "missing name; lastUpdatedAt is not a number". */
function describeIssues(issues: z.core.$ZodIssue[], input: unknown): string {
  const parts = issues.map((issue) => {
    const field = issue.path.map(String).join(".") || "element";
    const value = valueAt(input, issue.path);
    if (issue.code === "custom") return `${field} ${issue.message}`;
    if (issue.code === "invalid_type") {
      if (value === undefined || value === null) return `missing ${field}`;
      return `${field} is not ${EXPECTED_PHRASE[issue.expected] ?? issue.expected}`;
    }
    if (issue.code === "too_small" && typeof value === "string") return `${field} is empty`;
    return `${field}: ${issue.message}`;
  });
  return Array.from(new Set(parts)).join("; ");
}

function rawId(raw: unknown, ...keys: string[]): string | null {
  if (raw === null || typeof raw !== "object") return null;
  for (const key of keys) {
    const v = (raw as Record<string, unknown>)[key];
    if (typeof v === "string" && v.trim() !== "") return v.trim();
    if (typeof v === "number" && Number.isFinite(v)) return String(v);
  }
  return null;
}

function notAnObject(raw: unknown): ElementResult<never> | null {
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) return null;
  return { ok: false, id: null, reason: "element is not an object" };
}

export function normaliseContent(raw: unknown): ElementResult<CourseraContent> {
  const bad = notAnObject(raw);
  if (bad) return bad;
  const id = rawId(raw, "contentId", "id");
  const parsed = contentElementSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, id, reason: describeIssues(parsed.error.issues, raw) };
  if (!id) return { ok: false, id: null, reason: "missing contentId" };
  const e = parsed.data;
  const def = e.extraMetadata?.definition ?? null;
  const programs = e.programs ?? [];
  const seconds = def?.estimatedLearningTime ?? null;
  return {
    ok: true,
    value: {
      contentId: id,
      contentType: normaliseContentType(e.contentType),
      title: e.name,
      description: e.description ?? "",
      slug: e.slug ?? null,
      language: e.languageCode ?? null,
      subtitleLanguages: Array.from(new Set(e.subtitleLanguageCodes ?? [])),
      level: normaliseLevel(e.difficultyLevel),
      durationMinutes: seconds !== null && seconds >= 0 ? Math.round(seconds / 60) : null,
      imageUrl: def?.promoPhoto ?? null,
      partners: uniqueBy(e.partners ?? [], (p) => p.name),
      instructors: e.instructors ?? [],
      programIds: Array.from(new Set(programs.map((p) => p.programId))),
      launchUrl: programs.find((p) => p.contentUrl)?.contentUrl ?? null,
      launchUrls: [...new Set(programs.flatMap((p) => (p.contentUrl ? [p.contentUrl] : [])))],
      skills: uniqueBy(def?.skills ?? [], (s) => s.id),
      domains: uniqueBy(def?.domainTypes ?? [], (d) => d.id),
      courseraUpdatedAt: epochToDate(e.lastUpdatedAt),
    },
  };
}

export function normaliseEnrollment(raw: unknown): ElementResult<CourseraEnrollment> {
  const bad = notAnObject(raw);
  if (bad) return bad;
  const id = rawId(raw, "id");
  const parsed = enrollmentElementSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, id, reason: describeIssues(parsed.error.issues, raw) };
  const e = parsed.data;
  const learner = e.externalId ?? e.email;
  if (!id && !learner) return { ok: false, id: null, reason: "missing learner (no id, externalId or email)" };
  const recordId = id ?? `${learner}~${e.programId ?? ""}~${e.contentId}`;
  const isCompleted = e.isCompleted ?? false;
  // A completed record without a progress figure is complete; otherwise absent progress is none.
  const progress = e.overallProgress ?? (isCompleted ? 100 : 0);
  const hours = e.approxTotalCourseHrs ?? e.approxTotalLearningHours ?? null;
  return {
    ok: true,
    value: {
      recordId,
      externalId: e.externalId ?? null,
      email: e.email ?? null,
      fullName: e.fullName ?? null,
      programId: e.programId ?? null,
      contentId: e.contentId,
      contentType: normaliseContentType(e.contentType),
      contentName: e.contentName ?? null,
      enrolledAt: epochToDate(e.enrolledAt),
      lastActivityAt: epochToDate(e.lastActivityAt),
      isCompleted,
      completedAt: isCompleted ? epochToDate(e.completedAt) : null,
      progressPercent: round2(Math.min(100, Math.max(0, progress))),
      scorePercent: gradeToPercent(e.grade),
      timeSpentMinutes: hoursToMinutes(hours),
      membershipState: e.membershipState ?? null,
    },
  };
}

export function normaliseProgram(raw: unknown): ElementResult<CourseraProgram> {
  const bad = notAnObject(raw);
  if (bad) return bad;
  const id = rawId(raw, "id", "programId");
  const parsed = programElementSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, id, reason: describeIssues(parsed.error.issues, raw) };
  if (!id) return { ok: false, id: null, reason: "missing id" };
  const e = parsed.data;
  return {
    ok: true,
    value: {
      programId: id,
      name: e.name,
      tagline: e.tagline ?? null,
      url: e.url ?? null,
      contentIds: Array.from(new Set(e.contentIds ?? [])),
    },
  };
}
