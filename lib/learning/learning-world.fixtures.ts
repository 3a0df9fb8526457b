import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { ContentType } from "@/lib/generated/prisma/enums";

/**
 * A platform of its own for one test file (tests run in parallel on one
 * database), shaped like the demo: Root > Engineering (synchronized) >
 * Platform Team > SRE Guild (public) / Review Board (private); Engineering >
 * Security (private) > Red Team (public); Root > Sales. One learner per group.
 */
export async function createLearningWorld() {
  const tag = randomBytes(5).toString("hex");
  const platform = await db.platform.create({ data: { name: `Learning ${tag}`, slug: `learning-${tag}` } });
  const platformId = platform.id;
  const group = async (name: string, parentId: string | null, isPublic = true) =>
    (await db.group.create({ data: { platformId, parentId, name, isPublic } })).id;
  const root = await group("Root", null);
  const engineering = await group("Engineering", root);
  const platformTeam = await group("Platform Team", engineering);
  const sre = await group("SRE Guild", platformTeam);
  const reviewBoard = await group("Review Board", platformTeam, false);
  const security = await group("Security", engineering, false);
  const redTeam = await group("Red Team", security);
  const sales = await group("Sales", root);
  const groups = { root, engineering, platformTeam, sre, reviewBoard, security, redTeam, sales };

  const learner = async (key: string, groupId: string | null) => {
    const user = await db.user.create({
      data: { platformId, email: `${key}-${tag}@learning.test`, name: `${key} ${tag}`, role: "LEARNER" },
    });
    if (groupId) await db.groupMembership.create({ data: { groupId, userId: user.id } });
    return user.id;
  };
  const users = {
    engineer: await learner("engineer", engineering),
    platformer: await learner("platformer", platformTeam),
    sre: await learner("sre", sre),
    reviewer: await learner("reviewer", reviewBoard),
    security: await learner("security", security),
    redTeamer: await learner("redteamer", redTeam),
    seller: await learner("seller", sales),
    loner: await learner("loner", null),
  };

  const connector = await db.courseraConnector.create({
    data: { platformId, enabled: true, enabledAt: new Date(), syncGroupId: engineering, orgId: "acme-demo-org" },
  });

  let counter = 0;
  const coursera = async (data: {
    title: string;
    description?: string;
    partners?: string[];
    courseraSkills?: string[];
    contentType?: ContentType;
    language?: string;
    retired?: boolean;
  }) => {
    counter += 1;
    const contentId = `content-${tag}-${counter}`;
    const course = await db.course.create({
      data: {
        platformId,
        source: "COURSERA",
        courseraContentId: contentId,
        title: data.title,
        description: data.description ?? "",
        contentType: data.contentType ?? "COURSE",
        language: data.language ?? "en",
        partners: (data.partners ?? []).map((name) => ({ name, logoUrl: null })),
        courseraSkills: (data.courseraSkills ?? []).map((name) => ({ id: name.toLowerCase(), name })),
        launchUrl: `https://www.coursera.org/programs/acme?productId=${contentId}&productType=course`,
        retiredAt: data.retired ? new Date() : null,
      },
    });
    return course.id;
  };
  const native = async (title: string, groupIds: string[], description = "") =>
    (
      await db.course.create({
        data: { platformId, source: "NATIVE", title, description, groups: { create: groupIds.map((groupId) => ({ groupId })) } },
      })
    ).id;
  const skill = async (name: string, courseIds: string[]) => {
    const created = await db.skill.create({ data: { platformId, name, nameKey: name.trim().toLowerCase().replace(/\s+/g, " ") } });
    await db.courseSkill.createMany({ data: courseIds.map((courseId) => ({ courseId, skillId: created.id })) });
    return created.id;
  };
  /** Programs first: a program step keeps its course (onDelete: Restrict). */
  const dispose = async () => {
    await db.program.deleteMany({ where: { platformId } });
    await db.platform.delete({ where: { id: platformId } });
  };
  return { tag, platformId, groups, users, connectorId: connector.id, coursera, native, skill, dispose };
}

export type LearningWorld = Awaited<ReturnType<typeof createLearningWorld>>;
