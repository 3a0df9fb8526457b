import { pathToFileURL } from "node:url";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { hashPassword } from "@/lib/auth/password";
import { encryptSecret } from "@/lib/crypto/secrets";
import {
  ACME_GROUPS,
  ACME_SYNC_GROUP,
  DEMO_COURSERA,
  DEMO_MEMBERSHIPS,
  DEMO_PASSWORD,
  DEMO_PROGRAM_COURSERA_COURSE,
  DEMO_USERS,
  GLOBEX_GROUPS,
  type GroupSpec,
} from "./demo-data";

/**
 * Seeds the demo world. Idempotent: run it any number of times and the demo
 * ends up the same, without touching what people created around it.
 */
export async function seedDemo(db: PrismaClient): Promise<void> {
  const acme = await db.platform.upsert({
    where: { slug: "acme" },
    create: { name: "Acme", slug: "acme", timeZone: "Europe/Paris" },
    update: {},
  });
  const globex = await db.platform.upsert({
    where: { slug: "globex" },
    create: { name: "Globex", slug: "globex", timeZone: "America/New_York" },
    update: {},
  });

  const acmeGroups = await seedGroups(db, acme.id, ACME_GROUPS, null);
  const globexGroups = await seedGroups(db, globex.id, GLOBEX_GROUPS, null);
  const groupsByName = new Map([...acmeGroups, ...globexGroups]);

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users = new Map<string, string>();
  for (const u of Object.values(DEMO_USERS)) {
    const platformId = u.role === "CSM" ? null : u.email.endsWith("@globex.test") ? globex.id : acme.id;
    const user = await db.user.upsert({
      where: { email: u.email },
      create: { email: u.email, name: u.name, role: u.role, platformId, passwordHash },
      update: { name: u.name, role: u.role, platformId },
    });
    users.set(u.email, user.id);
  }
  for (const [email, groups] of Object.entries(DEMO_MEMBERSHIPS)) {
    for (const name of groups) {
      const groupId = groupsByName.get(name)!;
      const userId = users.get(email)!;
      await db.groupMembership.upsert({ where: { groupId_userId: { groupId, userId } }, create: { groupId, userId }, update: {} });
    }
  }

  // The connector is enabled on Acme's Engineering branch with the sandbox's demo credentials.
  const csmId = users.get(DEMO_USERS.csm.email)!;
  const adminId = users.get(DEMO_USERS.acmeAdmin.email)!;
  const existing = await db.courseraConnector.findUnique({ where: { platformId: acme.id } });
  if (!existing) {
    await db.courseraConnector.create({
      data: {
        platformId: acme.id,
        enabled: true,
        enabledAt: new Date(),
        enabledById: csmId,
        syncGroupId: groupsByName.get(ACME_SYNC_GROUP)!,
        orgId: DEMO_COURSERA.orgId,
        clientId: DEMO_COURSERA.clientId,
        clientSecretEncrypted: encryptSecret(DEMO_COURSERA.clientSecret),
        clientSecretLast4: DEMO_COURSERA.clientSecret.slice(-4),
        credentialsUpdatedAt: new Date(),
        credentialsUpdatedById: adminId,
      },
    });
  }

  // Native courses and an onboarding program with a session.
  const welcome = await upsertNativeCourse(db, acme.id, "Welcome to Acme Engineering", "How we build, ship and run software at Acme.", [
    groupsByName.get("Engineering")!,
  ]);
  const practices = await upsertNativeCourse(db, acme.id, "Engineering Practices at Acme", "Code review, on-call and incident etiquette.", [
    groupsByName.get("Engineering")!,
  ]);
  await upsertNativeCourse(db, acme.id, "Security Essentials", "Threat modelling for every engineer.", [groupsByName.get("Security")!]);

  let program = await db.program.findFirst({ where: { platformId: acme.id, name: "Engineering Onboarding" } });
  if (!program) {
    program = await db.program.create({
      data: {
        platformId: acme.id,
        name: "Engineering Onboarding",
        description: "The first weeks of every Acme engineer.",
        steps: {
          create: [
            { position: 1, courseId: welcome.id },
            { position: 2, courseId: practices.id },
          ],
        },
      },
    });
  }
  await seedSession(db, program.id, "January 2027 cohort", "2027-01-11T09:00:00Z", "2027-03-31T17:00:00Z", users);

  await seedCourseraProgram(db, acme.id, practices.id, users);
}

/**
 * A program whose first step is a Coursera course, with a session where Ada
 * has started that course (the step is STARTED, as START records it) and so
 * may already open the next step, and Grace has not (the next step is locked
 * for her). The promise it shows: Coursera courses take weeks and the platform
 * cannot see inside them, so starting one is enough to continue the session.
 */
async function seedCourseraProgram(db: PrismaClient, platformId: string, nextCourseId: string, users: Map<string, string>) {
  const { contentId, title } = DEMO_PROGRAM_COURSERA_COURSE;
  // Created as the sync would (only the sync writes Coursera's fields afterwards); the first sync fills in the rest.
  const coursera =
    (await db.course.findUnique({ where: { platformId_courseraContentId: { platformId, courseraContentId: contentId } } })) ??
    (await db.course.create({
      data: {
        platformId,
        source: "COURSERA",
        courseraContentId: contentId,
        title,
        description: "Brought in from Coursera by the catalogue sync.",
      },
    }));

  let program = await db.program.findFirst({ where: { platformId, name: "Python for Engineers" } });
  program ??= await db.program.create({
    data: {
      platformId,
      name: "Python for Engineers",
      description: "A Coursera course, then how we apply it at Acme.",
      steps: {
        create: [
          { position: 1, courseId: coursera.id },
          { position: 2, courseId: nextCourseId },
        ],
      },
    },
  });
  const session = await seedSession(db, program.id, "Spring 2027 cohort", "2027-04-05T09:00:00Z", "2027-06-30T17:00:00Z", users);
  const courseraStep = await db.programStep.findFirst({ where: { programId: program.id, courseId: coursera.id } });
  if (courseraStep) {
    const userId = users.get(DEMO_USERS.ada.email)!;
    await db.stepProgress.upsert({
      where: { sessionId_stepId_userId: { sessionId: session.id, stepId: courseraStep.id, userId } },
      create: { sessionId: session.id, stepId: courseraStep.id, userId, status: "STARTED", startedAt: new Date() },
      update: {},
    });
  }
}

/** A program's session (found by name, else created) with Ada and Grace enrolled. */
async function seedSession(
  db: PrismaClient,
  programId: string,
  name: string,
  startsAt: string,
  endsAt: string,
  users: Map<string, string>,
) {
  const session =
    (await db.programSession.findFirst({ where: { programId, name } })) ??
    (await db.programSession.create({ data: { programId, name, startsAt: new Date(startsAt), endsAt: new Date(endsAt) } }));
  for (const email of [DEMO_USERS.ada.email, DEMO_USERS.grace.email]) {
    const userId = users.get(email)!;
    await db.sessionEnrollment.upsert({
      where: { sessionId_userId: { sessionId: session.id, userId } },
      create: { sessionId: session.id, userId },
      update: {},
    });
  }
  return session;
}

async function seedGroups(db: PrismaClient, platformId: string, spec: GroupSpec, parentId: string | null): Promise<Map<string, string>> {
  let group = await db.group.findFirst({ where: { platformId, parentId, name: spec.name } });
  group ??= await db.group.create({ data: { platformId, parentId, name: spec.name, isPublic: spec.isPublic } });
  const ids = new Map([[spec.name, group.id]]);
  for (const child of spec.children ?? []) {
    for (const [name, id] of await seedGroups(db, platformId, child, group.id)) ids.set(name, id);
  }
  return ids;
}

async function upsertNativeCourse(db: PrismaClient, platformId: string, title: string, description: string, groupIds: string[]) {
  let course = await db.course.findFirst({ where: { platformId, source: "NATIVE", title } });
  course ??= await db.course.create({
    data: { platformId, source: "NATIVE", title, description, groups: { create: groupIds.map((groupId) => ({ groupId })) } },
  });
  return course;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { db, disconnectDb } = await import("@/lib/db");
  await seedDemo(db);
  await disconnectDb();
  console.log("Demo data seeded.");
}
