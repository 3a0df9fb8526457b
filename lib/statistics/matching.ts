import "server-only";
import { db, Prisma } from "@/lib/db";

/**
 * Who a Coursera record belongs to on the platform.
 *
 * Order, per the Coursera contract (externalId is set when the learner was
 * invited, else it is the email):
 *   1. an admin's LearnerIdentityLink for the record's identity key (a human
 *      decision always wins over a guess),
 *   2. User.externalId, compared trimmed and case-insensitively,
 *   3. User.email (stored lower-cased) against the record's email,
 *   4. User.email against the record's externalId, for orgs whose externalIds
 *      are emails while the platform keeps its own ids.
 * Only users of the platform are candidates. Everything is resolved for a whole
 * page in two queries (links, users); nothing is looked up per record.
 */

export interface LearnerIdentity {
  externalId: string | null;
  email: string | null;
}

/** Trimmed and lower-cased; null when nothing is left. */
export function normaliseIdentityPart(value: string | null | undefined): string | null {
  const v = (value ?? "").trim().toLowerCase();
  return v === "" ? null : v;
}

/**
 * The identity an unmatched record is filed under and links are made for:
 * the normalised externalId, else the normalised email. Null when the record
 * carries neither (it cannot be matched or linked: counted invalid).
 */
export function identityKeyOf(identity: LearnerIdentity): string | null {
  return normaliseIdentityPart(identity.externalId) ?? normaliseIdentityPart(identity.email);
}

export type MatchedBy = "link" | "externalId" | "email";

export interface UserMatcher {
  /** The platform user for a record, or null. */
  match(identity: LearnerIdentity): { userId: string; by: MatchedBy } | null;
}

export async function loadUserMatcher(
  platformId: string,
  identities: LearnerIdentity[],
  tx: Prisma.TransactionClient = db,
): Promise<UserMatcher> {
  const externalIds = new Set<string>();
  const emails = new Set<string>();
  const keys = new Set<string>();
  for (const identity of identities) {
    const ext = normaliseIdentityPart(identity.externalId);
    const email = normaliseIdentityPart(identity.email);
    if (ext) {
      externalIds.add(ext);
      emails.add(ext);
    }
    if (email) emails.add(email);
    const key = ext ?? email;
    if (key) keys.add(key);
  }
  if (keys.size === 0) return { match: () => null };

  const [links, users] = await Promise.all([
    // A link to a user who has since left the platform is ignored: matching falls back to the usual rules.
    tx.$queryRaw<{ identityKey: string; userId: string }[]>`
      SELECT l."identityKey", l."userId"
      FROM "LearnerIdentityLink" l
      JOIN "User" u ON u."id" = l."userId" AND u."platformId" = l."platformId"
      WHERE l."platformId" = ${platformId} AND l."identityKey" = ANY(${[...keys]}::text[])`,
    // One index lookup per key (the expression index of the statistics migration, the email key):
    // with `= ANY(1000 keys)` the planner scans every user of the platform instead, per page.
    // LIMIT 2 on externalId is enough to notice an ambiguous one.
    tx.$queryRaw<{ id: string; email: string; ext: string | null }[]>`
      SELECT u."id", u."email", lower(btrim(u."externalId")) AS "ext"
      FROM unnest(${[...externalIds]}::text[]) AS k("key")
      CROSS JOIN LATERAL (
        SELECT "id", "email", "externalId" FROM "User"
        WHERE "platformId" = ${platformId} AND lower(btrim("externalId")) = k."key" LIMIT 2
      ) u
      UNION
      SELECT u."id", u."email", lower(btrim(u."externalId")) AS "ext"
      FROM unnest(${[...emails]}::text[]) AS k("key")
      CROSS JOIN LATERAL (
        SELECT "id", "email", "externalId" FROM "User" WHERE "email" = k."key" AND "platformId" = ${platformId} LIMIT 1
      ) u`,
  ]);

  const byLink = new Map(links.map((l) => [l.identityKey, l.userId]));
  const byEmail = new Map(users.map((u) => [u.email, u.id]));
  // Two users whose externalIds differ only in case or spaces are ambiguous:
  // neither is chosen by externalId, and matching falls through to the email.
  const byExternalId = new Map<string, string | null>();
  for (const u of users) {
    if (!u.ext) continue;
    byExternalId.set(u.ext, byExternalId.has(u.ext) && byExternalId.get(u.ext) !== u.id ? null : u.id);
  }

  return {
    match(identity) {
      const ext = normaliseIdentityPart(identity.externalId);
      const email = normaliseIdentityPart(identity.email);
      const key = ext ?? email;
      if (!key) return null;
      const linked = byLink.get(key);
      if (linked) return { userId: linked, by: "link" };
      if (ext) {
        const userId = byExternalId.get(ext);
        if (userId) return { userId, by: "externalId" };
      }
      if (email) {
        const userId = byEmail.get(email);
        if (userId) return { userId, by: "email" };
      }
      if (ext) {
        const userId = byEmail.get(ext);
        if (userId) return { userId, by: "email" };
      }
      return null;
    },
  };
}

/** Coursera content id → the platform's Coursera course id (retired ones included: their statistics are kept). */
export async function loadCourseIds(
  platformId: string,
  contentIds: Iterable<string>,
  tx: Prisma.TransactionClient = db,
): Promise<Map<string, string>> {
  const ids = [...new Set(contentIds)];
  if (ids.length === 0) return new Map();
  // One unique-index lookup per content id (see the users query above for why not `= ANY`).
  const rows = await tx.$queryRaw<{ id: string; courseraContentId: string }[]>`
    SELECT c."id", c."courseraContentId"
    FROM unnest(${ids}::text[]) AS k("key")
    CROSS JOIN LATERAL (
      SELECT "id", "courseraContentId" FROM "Course"
      WHERE "platformId" = ${platformId} AND "courseraContentId" = k."key" AND "source" = 'COURSERA' LIMIT 1
    ) c`;
  return new Map(rows.map((r) => [r.courseraContentId, r.id]));
}
