import "server-only";
import { createHash } from "node:crypto";
import type { CourseraContent } from "@/lib/coursera/schema";
import { describeLink, isAllowedCourseraUrl, type CourseraLinkKind } from "@/lib/coursera/urls";
import { env } from "@/lib/env";
import type { ProblemKind } from "@/lib/generated/prisma/enums";

/**
 * How one Coursera content becomes the columns of a platform course, and the
 * hash that tells the sync whether a stored course needs rewriting at all.
 */

/**
 * Bumped whenever the mapping below changes, so that the next sync rewrites
 * every course once with the new mapping instead of trusting hashes computed
 * by the old one.
 */
// 2: launch and image links outside Coursera's hosts are dropped (lib/coursera/urls.ts).
export const MAPPING_VERSION = 2;

/** The Coursera-owned columns of a Course row, in the shape the sync's SQL reads (json_to_recordset). */
export interface CourseRow {
  courseraContentId: string;
  title: string;
  description: string;
  contentType: CourseraContent["contentType"];
  language: string | null;
  subtitleLanguages: string[];
  level: string | null;
  durationMinutes: number | null;
  imageUrl: string | null;
  launchUrl: string | null;
  slug: string | null;
  partners: CourseraContent["partners"];
  instructors: CourseraContent["instructors"];
  courseraSkills: CourseraContent["skills"];
  programIds: string[];
  /** ISO 8601 in UTC, or null. */
  courseraUpdatedAt: string | null;
  contentHash: string;
}

/** Something about an item the sync kept but an admin should know (recorded on the run, beside the page's invalid items). */
export interface MappingProblem {
  kind: ProblemKind;
  itemId: string;
  message: string;
  detail: Record<string, unknown>;
}

export interface MappedCourse {
  row: CourseRow;
  problems: MappingProblem[];
}

/**
 * A content's course row, and the problems found mapping it. Links are only
 * kept when they are Coursera's (https on its hosts, lib/coursera/urls.ts):
 * - the launch URL is the first program link that is; when none is, the course
 *   is kept without one (learners see it, START says it cannot be started yet)
 *   and a WARNING says why. Skipping the item instead would retire a course
 *   Coursera still lists (with the admins' skills and the learners' progress),
 *   for a link Coursera can fix at any time;
 * - an image that is not is dropped (the course shows without it), with a WARNING.
 */
export function courseRowFromContent(
  content: CourseraContent,
  linkOrigins: readonly string[] = env().COURSERA_ALLOWED_LINK_ORIGINS,
): MappedCourse {
  const problems: MappingProblem[] = [];
  const refused: { field: string; url: string; kind: CourseraLinkKind }[] = [];
  const link = (url: string | null, kind: CourseraLinkKind, field: string): string | null => {
    if (url === null || isAllowedCourseraUrl(url, kind, linkOrigins)) return url;
    refused.push({ field, url, kind });
    return null;
  };
  const launchCandidates = content.launchUrls ?? (content.launchUrl === null ? [] : [content.launchUrl]);
  const launchUrl = launchCandidates.find((url) => isAllowedCourseraUrl(url, "launch", linkOrigins)) ?? null;
  if (launchUrl === null && launchCandidates.length > 0) {
    problems.push({
      kind: "WARNING",
      itemId: content.contentId,
      message:
        `"${content.title.slice(0, 120)}" was kept without a launch link: Coursera sent ${launchCandidates.length === 1 ? "a link" : "links"} ` +
        `outside coursera.org (${[...new Set(launchCandidates.map(describeLink))].slice(0, 3).join(", ")}). ` +
        "Learners cannot start it until Coursera sends a link of its own; ask your Coursera account team.",
      detail: { field: "launchUrl", refused: launchCandidates.slice(0, 5).map((url) => url.slice(0, 500)) },
    });
  }
  const imageUrl = link(content.imageUrl, "image", "imageUrl");
  const partners = content.partners.map((p) => ({ ...p, logoUrl: link(p.logoUrl, "image", "partners.logoUrl") }));
  const instructors = content.instructors.map((i) => ({ ...i, photoUrl: link(i.photoUrl, "image", "instructors.photoUrl") }));
  if (refused.length > 0) {
    problems.push({
      kind: "WARNING",
      itemId: content.contentId,
      message:
        `"${content.title.slice(0, 120)}" is shown without ${refused.length === 1 ? "an image" : `${refused.length} images`}: ` +
        `Coursera sent image links outside its own hosts (${[...new Set(refused.map((r) => describeLink(r.url)))].slice(0, 3).join(", ")}).`,
      detail: { refused: refused.slice(0, 5).map((r) => ({ field: r.field, url: r.url.slice(0, 500) })) },
    });
  }
  const fields = {
    courseraContentId: content.contentId,
    title: content.title,
    description: content.description,
    contentType: content.contentType,
    language: content.language,
    subtitleLanguages: content.subtitleLanguages,
    level: content.level,
    durationMinutes: content.durationMinutes,
    imageUrl,
    launchUrl,
    slug: content.slug,
    partners,
    instructors,
    courseraSkills: content.skills,
    programIds: content.programIds,
    courseraUpdatedAt: content.courseraUpdatedAt ? content.courseraUpdatedAt.toISOString() : null,
  };
  return { row: { ...fields, contentHash: contentHash(fields) }, problems };
}

/**
 * sha256 over every stored field (object keys in the fixed order built above,
 * so JSON.stringify is canonical) plus the mapping version. Anything the course
 * row shows is in it, so "same hash" really means "nothing to write".
 */
function contentHash(fields: Omit<CourseRow, "contentHash">): string {
  return createHash("sha256").update(`v${MAPPING_VERSION}\n`).update(JSON.stringify(fields)).digest("base64url");
}
