import { randomBytes } from "node:crypto";
import { DEMO_USERS } from "../prisma/demo-data";
import { newId, withDb } from "./database";

/**
 * Per-test data for the admin pages' end-to-end tests, written straight into
 * the database the app under test uses (scripts/test.ts passes DATABASE_URL to
 * Playwright). Every test gets its own platform, so tests never depend on each
 * other or on the demo's Acme, which other tests re-synchronise.
 */

export interface AdminWorld {
  tag: string;
  platformId: string;
  platformName: string;
  admin: { id: string; email: string };
  learner: { id: string; email: string };
  groups: Record<"company" | "engineering" | "platformTeam" | "sre" | "incident" | "hiddenBelowPrivate" | "sales", string>;
}

/**
 * A platform with a group tree several levels deep (public and private
 * groups), an admin and a learner (password: the demo one), and optionally an
 * enabled connector on Engineering without credentials.
 */
export async function createAdminWorld(options: { connector?: "none" | "enabled" } = {}): Promise<AdminWorld> {
  const tag = randomBytes(4).toString("hex");
  return withDb(async (db) => {
    const platformId = newId();
    const platformName = `Admin E2E ${tag}`;
    await db.query(`INSERT INTO "Platform" ("id", "name", "slug", "updatedAt") VALUES ($1, $2, $3, now())`, [
      platformId,
      platformName,
      `admin-e2e-${tag}`,
    ]);
    const group = async (name: string, parentId: string | null, isPublic = true) => {
      const groupId = newId();
      await db.query(
        `INSERT INTO "Group" ("id", "platformId", "parentId", "name", "isPublic", "updatedAt") VALUES ($1, $2, $3, $4, $5, now())`,
        [groupId, platformId, parentId, name, isPublic],
      );
      return groupId;
    };
    const company = await group("Company", null);
    const engineering = await group("Engineering", company);
    const platformTeam = await group("Platform Team", engineering);
    const sre = await group("SRE Guild", platformTeam);
    const incident = await group("Incident Board", platformTeam, false);
    const hiddenBelowPrivate = await group("Postmortem Writers", incident);
    const sales = await group("Sales", company);

    const { rows } = await db.query<{ passwordHash: string }>(`SELECT "passwordHash" FROM "User" WHERE "email" = $1`, [
      DEMO_USERS.ada.email,
    ]);
    const passwordHash = rows[0]?.passwordHash;
    if (!passwordHash) throw new Error("The demo seed has not run");
    const user = async (role: "ADMIN" | "LEARNER", key: string) => {
      const u = { id: newId(), email: `${key}.${tag}@admin-e2e.test` };
      await db.query(
        `INSERT INTO "User" ("id", "platformId", "email", "name", "role", "passwordHash", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6, now())`,
        [u.id, platformId, u.email, `${key[0].toUpperCase()}${key.slice(1)} ${tag}`, role, passwordHash],
      );
      return u;
    };
    const admin = await user("ADMIN", "admin");
    const learner = await user("LEARNER", "learner");
    if (options.connector === "enabled") {
      await db.query(
        `INSERT INTO "CourseraConnector" ("id", "platformId", "enabled", "enabledAt", "syncGroupId", "updatedAt") VALUES ($1, $2, true, now(), $3, now())`,
        [newId(), platformId, engineering],
      );
    }
    return {
      tag,
      platformId,
      platformName,
      admin,
      learner,
      groups: { company, engineering, platformTeam, sre, incident, hiddenBelowPrivate, sales },
    };
  });
}

export interface SeedCourse {
  title: string;
  contentType?: string;
  language?: string;
  level?: string;
  retired?: boolean;
  courseraSkills?: { id: string; name: string }[];
  /** Default "About <title>." */
  description?: string;
  imageUrl?: string | null;
}

/** Coursera courses as a catalogue sync would leave them (for the table's filters; not for re-sync tests). */
export async function insertCourses(platformId: string, courses: SeedCourse[]): Promise<string[]> {
  return withDb(async (db) => {
    const ids: string[] = [];
    for (const c of courses) {
      const courseId = newId();
      await db.query(
        `INSERT INTO "Course" ("id", "platformId", "source", "courseraContentId", "title", "description", "contentType", "language", "level", "retiredAt", "courseraSkills", "launchUrl", "imageUrl", "updatedAt")
         VALUES ($1, $2, 'COURSERA', $3, $4, $5, $6::"ContentType", $7, $8, $9, $10::jsonb, $11, $12, now())`,
        [
          courseId,
          platformId,
          `content-${courseId}`,
          c.title,
          c.description ?? `About ${c.title}.`,
          c.contentType ?? "COURSE",
          c.language ?? "en",
          c.level ?? "BEGINNER",
          c.retired ? new Date() : null,
          JSON.stringify(c.courseraSkills ?? []),
          "https://www.coursera.org/programs/e2e?productId=x",
          c.imageUrl ?? null,
        ],
      );
      ids.push(courseId);
    }
    return ids;
  });
}

/** A finished catalogue run with per-item problems, and learner statistics and an unmatched record. */
export async function insertHistoryAndStats(world: AdminWorld, courseIds: string[]): Promise<{ runId: string }> {
  return withDb(async (db) => {
    let connectorId = (await db.query<{ id: string }>(`SELECT "id" FROM "CourseraConnector" WHERE "platformId" = $1`, [world.platformId]))
      .rows[0]?.id;
    if (!connectorId) {
      connectorId = newId();
      await db.query(`INSERT INTO "CourseraConnector" ("id", "platformId", "updatedAt") VALUES ($1, $2, now())`, [
        connectorId,
        world.platformId,
      ]);
    }
    const runId = newId();
    await db.query(
      `INSERT INTO "SyncRun" ("id", "platformId", "connectorId", "kind", "trigger", "status", "queuedAt", "startedAt", "finishedAt", "fetched", "created", "invalid", "pages")
       VALUES ($1, $2, $3, 'CATALOGUE', 'SCHEDULE', 'SUCCEEDED', now() - interval '2 minutes', now() - interval '2 minutes', now() - interval '1 minute', 12, 10, 2, 1)`,
      [runId, world.platformId, connectorId],
    );
    await db.query(
      `INSERT INTO "SyncProblem" ("id", "runId", "kind", "itemId", "message") VALUES ($1, $2, 'INVALID_RECORD', 'bad-item-1', 'The element has no title.')`,
      [newId(), runId],
    );
    await db.query(
      `INSERT INTO "LearnerCourseStat" ("id", "platformId", "userId", "courseId", "status", "progressPercent", "scorePercent", "lastActivityAt", "timeSpentMinutes", "updatedAt")
       VALUES ($1, $2, $3, $4, 'COMPLETED', 100, 88, now(), 120, now())`,
      [newId(), world.platformId, world.learner.id, courseIds[0]],
    );
    if (courseIds[1]) {
      await db.query(
        `INSERT INTO "LearnerCourseStat" ("id", "platformId", "userId", "courseId", "status", "progressPercent", "lastActivityAt", "timeSpentMinutes", "updatedAt")
         VALUES ($1, $2, $3, $4, 'IN_PROGRESS', 40, now() - interval '1 day', 30, now())`,
        [newId(), world.platformId, world.learner.id, courseIds[1]],
      );
    }
    await db.query(
      `INSERT INTO "UnmatchedLearnerRecord" ("id", "platformId", "identityKey", "email", "fullName", "contentId", "contentName", "reason", "record")
       VALUES ($1, $2, $3, $3, 'Ghost Learner', 'content-x', 'Some course', 'NO_USER', '{}'::jsonb)`,
      [newId(), world.platformId, `ghost.${world.tag}@elsewhere.test`],
    );
    return { runId };
  });
}

/**
 * A platform user, Pat Former, and a Coursera record of Pat's 70 % on a course that the statistics sync
 * could not match: it came under an old email address the platform does not know.
 */
export async function insertUnmatchedPat(world: AdminWorld, courseId: string): Promise<{ id: string; email: string }> {
  const pat = { id: newId(), email: `pat.${world.tag}@admin-e2e.test` };
  await withDb(async (db) => {
    await db.query(
      `INSERT INTO "User" ("id", "platformId", "email", "name", "role", "updatedAt") VALUES ($1, $2, $3, 'Pat Former', 'LEARNER', now())`,
      [pat.id, world.platformId, pat.email],
    );
    await db.query(
      `INSERT INTO "UnmatchedLearnerRecord" ("id", "platformId", "identityKey", "email", "fullName", "contentId", "contentName", "reason", "record")
       VALUES ($1, $2, $3, $3, 'Pat Former', $4, 'Data Visualization', 'NO_USER', $5::jsonb)`,
      [
        newId(),
        world.platformId,
        `pat.former.${world.tag}@old-address.test`,
        `content-${courseId}`,
        JSON.stringify({
          isCompleted: false,
          progressPercent: 70,
          timeSpentMinutes: 45,
          lastActivityAt: new Date().toISOString(),
          readAt: new Date().toISOString(),
        }),
      ],
    );
  });
  return pat;
}
