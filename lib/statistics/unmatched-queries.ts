import "server-only";
import { db, Prisma } from "@/lib/db";
import { escapeLike } from "@/lib/sql/like";

/** What the unmatched inbox reads: the open identities, and the platform's users an admin links one to. */

/** Open unmatched records, one row per Coursera identity, with the courses they hold. */
export async function listUnmatchedIdentities(platformId: string, options: { page?: number; reason?: "NO_USER" | "NO_COURSE" } = {}) {
  const page = Math.max(1, options.page ?? 1);
  const reason = options.reason ? Prisma.sql`AND r."reason" = ${options.reason}::"UnmatchedReason"` : Prisma.empty;
  const [rows, totals] = await Promise.all([
    db.$queryRaw<
      {
        identityKey: string;
        email: string | null;
        externalId: string | null;
        fullName: string | null;
        records: number;
        reasons: string[];
        contents: string[];
        lastSeenAt: Date;
      }[]
    >`
      SELECT r."identityKey",
             max(r."email") AS "email", max(r."externalId") AS "externalId", max(r."fullName") AS "fullName",
             count(*)::int AS "records",
             array_agg(DISTINCT r."reason"::text) AS "reasons",
             (array_agg(coalesce(r."contentName", r."contentId") ORDER BY r."lastSeenAt" DESC))[1:5] AS "contents",
             max(r."lastSeenAt") AS "lastSeenAt"
        FROM "UnmatchedLearnerRecord" r
       WHERE r."platformId" = ${platformId} AND r."resolvedAt" IS NULL ${reason}
       GROUP BY r."identityKey"
       ORDER BY max(r."lastSeenAt") DESC, r."identityKey"
       LIMIT 50 OFFSET ${(page - 1) * 50}`,
    db.$queryRaw<{ identities: number; records: number }[]>`
      SELECT count(DISTINCT r."identityKey")::int AS "identities", count(*)::int AS "records"
        FROM "UnmatchedLearnerRecord" r
       WHERE r."platformId" = ${platformId} AND r."resolvedAt" IS NULL ${reason}`,
  ]);
  return { page, pageSize: 50, identities: Number(totals[0]?.identities ?? 0), records: Number(totals[0]?.records ?? 0), rows };
}

/** Platform users matching a search, for linking an unmatched identity. */
export async function searchPlatformUsers(platformId: string, q: string, limit = 10) {
  const query = q.trim();
  return db.user.findMany({
    where: {
      platformId,
      ...(query
        ? {
            OR: [
              { name: { contains: escapeLike(query), mode: "insensitive" } },
              { email: { contains: escapeLike(query), mode: "insensitive" } },
            ],
          }
        : {}),
    },
    orderBy: { name: "asc" },
    take: limit,
    select: { id: true, name: true, email: true, role: true },
  });
}
