/**
 * Coursera's difficulty levels in the order people read them. `Course.level`
 * is a free string (Coursera's enum is not published and may grow): known
 * levels sort in this order whatever their case, any other value after them
 * (alphabetically), and no level last. The admin table's SQL sort and the
 * level filter's options both follow this rank.
 */
export const COURSE_LEVEL_ORDER = ["beginner", "intermediate", "advanced", "mixed"] as const;

/** 0..3 for the known levels, 4 for any other value, 5 for none. */
export function courseLevelRank(level: string | null | undefined): number {
  if (!level?.trim()) return COURSE_LEVEL_ORDER.length + 1;
  const index = (COURSE_LEVEL_ORDER as readonly string[]).indexOf(level.trim().toLowerCase());
  return index === -1 ? COURSE_LEVEL_ORDER.length : index;
}

/** Levels in reading order (for a filter's options). */
export function sortLevels(levels: readonly string[]): string[] {
  return [...levels].sort((a, b) => courseLevelRank(a) - courseLevelRank(b) || a.localeCompare(b));
}
