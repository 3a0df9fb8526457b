import { randomBytes } from "node:crypto";
import { DEMO_ORG, SandboxOrg } from "../sandbox/data";
import { DEMO_USERS } from "../prisma/demo-data";
import { newId, requiredEnv, withDb } from "./database";

/**
 * Per-test data for the learner's end-to-end tests, written straight into the
 * database the app under test uses (scripts/test.ts passes DATABASE_URL and
 * COURSERA_API_BASE_URL to Playwright).
 *
 * Each test gets its own platform shaped like the demo's Acme (Company >
 * Engineering [synchronized] > Platform Team > SRE Guild; Engineering >
 * Security [private]; Company > Sales), with its own learners: Acme's catalogue
 * is re-synchronised by other tests, which would retire a course made up here.
 * The Coursera course stands for what a catalogue sync creates: its launch URL
 * is the program-scoped URL of a real content of the sandbox's demo org, so
 * START lands on the sandbox's stand-in course page.
 */
const sandboxOrg = new SandboxOrg(DEMO_ORG);

export interface LearnerWorld {
  tag: string;
  platformId: string;
  learners: Record<"grace" | "alan" | "linus" | "margaret", { id: string; email: string; name: string }>;
  course: { id: string; title: string; partner: string; contentId: string; launchUrl: string };
  nativeCourse: { id: string; title: string };
}

/** A platform with its group tree, learners (password: the demo one), an enabled connector and one Coursera course. */
export async function createLearnerWorld(
  contentIndex = 3,
  options: { description?: string; imageUrl?: string | null } = {},
): Promise<LearnerWorld> {
  const tag = randomBytes(4).toString("hex");
  return withDb(async (db) => {
    const platformId = newId();
    await db.query(`INSERT INTO "Platform" ("id", "name", "slug", "updatedAt") VALUES ($1, $2, $3, now())`, [
      platformId,
      `Learner E2E ${tag}`,
      `learner-e2e-${tag}`,
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
    const security = await group("Security", engineering, false);
    const sales = await group("Sales", company);

    // Same password as the demo accounts: copy a stored hash rather than re-deriving scrypt.
    const { rows } = await db.query<{ passwordHash: string }>(`SELECT "passwordHash" FROM "User" WHERE "email" = $1`, [
      DEMO_USERS.ada.email,
    ]);
    const passwordHash = rows[0]?.passwordHash;
    if (!passwordHash) throw new Error("The demo seed has not run");
    const learner = async (key: string, name: string, groupId: string) => {
      const user = { id: newId(), email: `${key}.${tag}@learner-e2e.test`, name: `${name} ${tag}` };
      await db.query(
        `INSERT INTO "User" ("id", "platformId", "email", "name", "role", "passwordHash", "updatedAt") VALUES ($1, $2, $3, $4, 'LEARNER', $5, now())`,
        [user.id, platformId, user.email, user.name, passwordHash],
      );
      await db.query(`INSERT INTO "GroupMembership" ("groupId", "userId") VALUES ($1, $2)`, [groupId, user.id]);
      return user;
    };
    const learners = {
      grace: await learner("grace", "Grace", platformTeam),
      alan: await learner("alan", "Alan", sre),
      linus: await learner("linus", "Linus", security),
      margaret: await learner("margaret", "Margaret", sales),
    };

    await db.query(
      `INSERT INTO "CourseraConnector" ("id", "platformId", "enabled", "enabledAt", "syncGroupId", "orgId", "clientId", "updatedAt")
       VALUES ($1, $2, true, now(), $3, $4, $5, now())`,
      [newId(), platformId, engineering, DEMO_ORG.orgId, DEMO_ORG.clientId],
    );

    const contentId = sandboxOrg.contentIdAt(contentIndex);
    const launchUrl = `${requiredEnv("COURSERA_API_BASE_URL")}/programs/acme-learning?productId=${contentId}&productType=course`;
    const course = {
      id: newId(),
      title: `Orbital Mechanics for Gardeners ${tag}`,
      partner: `Université Lumière ${tag}`,
      contentId,
      launchUrl,
    };
    await db.query(
      `INSERT INTO "Course" ("id", "platformId", "source", "courseraContentId", "title", "description", "contentType", "language", "subtitleLanguages",
                             "level", "durationMinutes", "launchUrl", "partners", "instructors", "courseraSkills", "imageUrl", "updatedAt")
       VALUES ($1, $2, 'COURSERA', $3, $4, $5, 'COURSE', 'en', ARRAY['en', 'fr'], 'INTERMEDIATE', 1080, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10, now())`,
      [
        course.id,
        platformId,
        `e2e-${tag}-${contentId}`,
        course.title,
        options.description ?? "Plan a garden around the seasons with the physics of orbits.",
        launchUrl,
        JSON.stringify([{ name: course.partner, logoUrl: null }]),
        JSON.stringify([{ name: "Hedy Orbit", title: "Professor of Physics", photoUrl: null }]),
        JSON.stringify([{ id: "celestial-mechanics", name: "Celestial Mechanics" }]),
        options.imageUrl ?? null,
      ],
    );
    const nativeCourse = { id: newId(), title: `Greenhouse Safety ${tag}` };
    await db.query(
      `INSERT INTO "Course" ("id", "platformId", "source", "title", "description", "updatedAt") VALUES ($1, $2, 'NATIVE', $3, $4, now())`,
      [nativeCourse.id, platformId, nativeCourse.title, "How we work safely in the greenhouse."],
    );
    await db.query(`INSERT INTO "CourseGroup" ("courseId", "groupId") VALUES ($1, $2)`, [nativeCourse.id, engineering]);
    return { tag, platformId, learners, course, nativeCourse };
  });
}

/** What a finished statistics sync leaves for one learner on one course. */
export async function recordSyncedStat(input: {
  platformId: string;
  userId: string;
  courseId: string;
  status: "NOT_STARTED" | "IN_PROGRESS" | "COMPLETED";
  progressPercent: number;
  scorePercent: number | null;
  lastActivityAt: Date;
  timeSpentMinutes: number;
  completedAt?: Date | null;
}): Promise<void> {
  await withDb(async (db) => {
    await db.query(
      `INSERT INTO "LearnerCourseStat" ("id", "platformId", "userId", "courseId", "status", "progressPercent", "scorePercent", "lastActivityAt",
                                        "timeSpentMinutes", "completedAt", "reportedAt", "updatedAt")
       VALUES ($1, $2, $3, $4, $5::"CompletionStatus", $6, $7, $8::timestamptz AT TIME ZONE 'UTC', $9, $10::timestamptz AT TIME ZONE 'UTC',
               now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
       ON CONFLICT ("userId", "courseId") DO UPDATE SET "status" = EXCLUDED."status", "progressPercent" = EXCLUDED."progressPercent",
         "scorePercent" = EXCLUDED."scorePercent", "lastActivityAt" = EXCLUDED."lastActivityAt", "timeSpentMinutes" = EXCLUDED."timeSpentMinutes",
         "completedAt" = EXCLUDED."completedAt", "reportedAt" = EXCLUDED."reportedAt", "updatedAt" = now()`,
      [
        newId(),
        input.platformId,
        input.userId,
        input.courseId,
        input.status,
        input.progressPercent,
        input.scorePercent,
        input.lastActivityAt.toISOString(),
        input.timeSpentMinutes,
        input.completedAt?.toISOString() ?? null,
      ],
    );
    // The sync also moves the learner's session steps for that course forward (never back).
    if (input.status === "COMPLETED") {
      await db.query(
        `UPDATE "StepProgress" p SET "status" = 'COMPLETED', "completedAt" = COALESCE(p."completedAt", now() AT TIME ZONE 'UTC'), "updatedAt" = now()
          FROM "ProgramStep" ps WHERE ps."id" = p."stepId" AND ps."courseId" = $1 AND p."userId" = $2`,
        [input.courseId, input.userId],
      );
    }
  });
}

/** A program [Coursera course, native course] with a session the learner is enrolled in. */
export async function createSession(world: LearnerWorld, userId: string): Promise<{ sessionId: string; name: string }> {
  return withDb(async (db) => {
    const programId = newId();
    await db.query(`INSERT INTO "Program" ("id", "platformId", "name", "description") VALUES ($1, $2, $3, $4)`, [
      programId,
      world.platformId,
      `Garden Academy ${world.tag}`,
      "Orbits first, then the greenhouse.",
    ]);
    await db.query(`INSERT INTO "ProgramStep" ("id", "programId", "position", "courseId") VALUES ($1, $2, 1, $3), ($4, $2, 2, $5)`, [
      newId(),
      programId,
      world.course.id,
      newId(),
      world.nativeCourse.id,
    ]);
    const session = { sessionId: newId(), name: `Spring cohort ${world.tag}` };
    await db.query(`INSERT INTO "ProgramSession" ("id", "programId", "name") VALUES ($1, $2, $3)`, [
      session.sessionId,
      programId,
      session.name,
    ]);
    await db.query(`INSERT INTO "SessionEnrollment" ("sessionId", "userId") VALUES ($1, $2)`, [session.sessionId, userId]);
    return session;
  });
}
