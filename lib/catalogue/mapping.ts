import "server-only";
import { createHash } from "node:crypto";
import type { CourseraContent } from "@/lib/coursera/schema";

/**
 * How one Coursera content becomes the columns of a platform course, and the
 * hash that tells the sync whether a stored course needs rewriting at all.
 */

/**
 * Bumped whenever the mapping below changes, so that the next sync rewrites
 * every course once with the new mapping instead of trusting hashes computed
 * by the old one.
 */
export const MAPPING_VERSION = 1;

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

export function courseRowFromContent(content: CourseraContent): CourseRow {
  const fields = {
    courseraContentId: content.contentId,
    title: content.title,
    description: content.description,
    contentType: content.contentType,
    language: content.language,
    subtitleLanguages: content.subtitleLanguages,
    level: content.level,
    durationMinutes: content.durationMinutes,
    imageUrl: content.imageUrl,
    launchUrl: content.launchUrl,
    slug: content.slug,
    partners: content.partners,
    instructors: content.instructors,
    courseraSkills: content.skills,
    programIds: content.programIds,
    courseraUpdatedAt: content.courseraUpdatedAt ? content.courseraUpdatedAt.toISOString() : null,
  };
  return { ...fields, contentHash: contentHash(fields) };
}

/**
 * sha256 over every stored field (object keys in the fixed order built above,
 * so JSON.stringify is canonical) plus the mapping version. Anything the course
 * row shows is in it, so "same hash" really means "nothing to write".
 */
function contentHash(fields: Omit<CourseRow, "contentHash">): string {
  return createHash("sha256").update(`v${MAPPING_VERSION}\n`).update(JSON.stringify(fields)).digest("base64url");
}
