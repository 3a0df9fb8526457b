import "server-only";
/**
 * LIKE/ILIKE treat % and _ as wildcards, and Prisma's `contains` passes them
 * through: escaped here so that a search for "100%" finds the text "100%".
 * (Backslash is PostgreSQL's default LIKE escape character.)
 */
export function escapeLike(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `%q%` with q's wildcards escaped, for raw ILIKE. */
export function containsPattern(q: string): string {
  return `%${escapeLike(q)}%`;
}
