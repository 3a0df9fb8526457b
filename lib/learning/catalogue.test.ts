import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db";
import { catalogueFacets, countCatalogue, listCatalogue } from "@/lib/learning/catalogue-queries";
import { getLearnerCourse } from "@/lib/learning/course-queries";
import { CATALOGUE_PAGE_SIZE, parseCatalogueFilters, type CatalogueFilters } from "@/lib/learning/schema";
import { createLearningWorld, type LearningWorld } from "@/lib/learning/learning-world.fixtures";

let world: LearningWorld;
let courses: { active: string; retired: string; spanish: string; nativeEng: string; nativeSecurity: string };

const filters = (f: Partial<CatalogueFilters> = {}): CatalogueFilters => ({ page: 1, ...f });
const titles = async (userId: string, f: Partial<CatalogueFilters> = {}) =>
  (await listCatalogue(userId, world.platformId, filters(f))).courses.map((c) => c.title);

beforeAll(async () => {
  world = await createLearningWorld();
  courses = {
    active: await world.coursera({ title: "Cloud Foundations", partners: ["Google Cloud"] }),
    retired: await world.coursera({ title: "Retired Cloud Course", retired: true }),
    spanish: await world.coursera({ title: "Fundamentos de Datos", language: "es", contentType: "SPECIALIZATION" }),
    nativeEng: await world.native("Engineering Onboarding", [world.groups.engineering]),
    nativeSecurity: await world.native("Threat Modelling", [world.groups.security]),
  };
});
afterAll(async () => {
  await world.dispose();
  await disconnectDb();
});

describe("the learner's catalogue: who sees Coursera courses", () => {
  it("shows them to a member of the synchronized group, marked as Coursera courses", async () => {
    const page = await listCatalogue(world.users.engineer, world.platformId, filters());
    const cloud = page.courses.find((c) => c.id === courses.active);
    expect(cloud?.source).toBe("COURSERA");
    expect(cloud?.partners).toEqual([{ name: "Google Cloud", logoUrl: null }]);
  });

  it("shows them in public subgroups at any depth", async () => {
    expect(await titles(world.users.platformer)).toContain("Cloud Foundations");
    expect(await titles(world.users.sre)).toContain("Cloud Foundations");
  });

  it("hides them from private subgroups and everything below them, and outside the branch", async () => {
    for (const userId of [world.users.reviewer, world.users.security, world.users.redTeamer, world.users.seller, world.users.loner]) {
      const seen = await titles(userId);
      expect(seen).not.toContain("Cloud Foundations");
      expect(await getLearnerCourse(userId, world.platformId, courses.active)).toBeNull();
    }
  });

  it("never shows a retired course, in the list or by its id", async () => {
    expect(await titles(world.users.engineer)).not.toContain("Retired Cloud Course");
    expect(await getLearnerCourse(world.users.engineer, world.platformId, courses.retired)).toBeNull();
  });

  it("hides every Coursera course while the connector is disabled, and shows them again once enabled", async () => {
    await db.courseraConnector.update({ where: { id: world.connectorId }, data: { enabled: false } });
    try {
      const seen = await titles(world.users.engineer);
      expect(seen).not.toContain("Cloud Foundations");
      expect(seen).toContain("Engineering Onboarding"); // native courses stay
      expect(await getLearnerCourse(world.users.engineer, world.platformId, courses.active)).toBeNull();
    } finally {
      await db.courseraConnector.update({ where: { id: world.connectorId }, data: { enabled: true } });
    }
    expect(await titles(world.users.engineer)).toContain("Cloud Foundations");
  });

  it("is computed from the live tree: a group made private loses them at once", async () => {
    await db.group.update({ where: { id: world.groups.platformTeam }, data: { isPublic: false } });
    try {
      expect(await titles(world.users.sre)).not.toContain("Cloud Foundations");
      expect(await titles(world.users.platformer)).not.toContain("Cloud Foundations");
    } finally {
      await db.group.update({ where: { id: world.groups.platformTeam }, data: { isPublic: true } });
    }
  });

  it("never returns another platform's course, even to a learner who sees Coursera courses", async () => {
    const other = await createLearningWorld();
    try {
      const foreign = await other.coursera({ title: "Foreign Course" });
      expect(await getLearnerCourse(world.users.engineer, world.platformId, foreign)).toBeNull();
      expect(await getLearnerCourse(world.users.engineer, other.platformId, foreign)).toBeNull(); // not a member there
      expect(await titles(world.users.engineer)).not.toContain("Foreign Course");
    } finally {
      await other.dispose();
    }
  });
});

describe("the learner's catalogue: native courses", () => {
  it("shows a course placed in a group to its members and to public subgroups, which inherit it", async () => {
    expect(await titles(world.users.engineer)).toContain("Engineering Onboarding");
    expect(await titles(world.users.sre)).toContain("Engineering Onboarding");
    expect(await titles(world.users.seller)).not.toContain("Engineering Onboarding");
  });

  it("keeps a private group's courses to it and its public subgroups; a private group inherits nothing", async () => {
    expect(await titles(world.users.security)).toEqual(["Threat Modelling"]);
    expect(await titles(world.users.redTeamer)).toEqual(["Threat Modelling"]);
    expect(await titles(world.users.engineer)).not.toContain("Threat Modelling");
  });
});

describe("filters and pages", () => {
  it("filters by type, language, source and admin skill, and offers only choices that lead somewhere", async () => {
    expect(await titles(world.users.engineer, { type: "SPECIALIZATION" })).toEqual(["Fundamentos de Datos"]);
    expect(await titles(world.users.engineer, { language: "es" })).toEqual(["Fundamentos de Datos"]);
    expect(await titles(world.users.engineer, { source: "NATIVE" })).toEqual(["Engineering Onboarding"]);
    const skillId = await world.skill("Cloud Architecture", [courses.active]);
    expect(await titles(world.users.engineer, { skill: skillId })).toEqual(["Cloud Foundations"]);

    const facets = await catalogueFacets(world.users.engineer, world.platformId, filters(), null);
    expect(facets.types.map((t) => t.value).sort()).toEqual(["COURSE", "SPECIALIZATION"]);
    expect(facets.languages.map((l) => l.value)).toContain("es");
    expect(facets.skills.map((s) => s.label)).toEqual(["Cloud Architecture"]);
    expect(facets.hasCoursera && facets.hasNative).toBe(true);
    // A learner outside the branch is offered nothing from the Coursera courses.
    const outside = await catalogueFacets(world.users.seller, world.platformId, filters(), null);
    expect(outside).toEqual({
      total: { count: 0, more: false },
      types: [],
      languages: [],
      levels: [],
      durations: [],
      partners: [],
      skills: [],
      hasCoursera: false,
      hasNative: false,
    });
  });

  it("pages on the server in title order, and clamps a page past the end", async () => {
    const pageWorld = await createLearningWorld();
    try {
      const total = CATALOGUE_PAGE_SIZE + 5;
      await db.course.createMany({
        data: Array.from({ length: total }, (_, i) => ({
          platformId: pageWorld.platformId,
          source: "COURSERA" as const,
          courseraContentId: `paged-${i}`,
          title: `Paged course ${String(i).padStart(3, "0")}`,
        })),
      });
      const first = await listCatalogue(pageWorld.users.engineer, pageWorld.platformId, filters());
      expect(first).toMatchObject({ page: 1, hasNextPage: true });
      expect(await countCatalogue(pageWorld.users.engineer, pageWorld.platformId, filters(), null)).toEqual({ count: total, more: false });
      expect(first.courses).toHaveLength(CATALOGUE_PAGE_SIZE);
      expect(first.courses[0].title).toBe("Paged course 000");
      const second = await listCatalogue(pageWorld.users.engineer, pageWorld.platformId, filters({ page: 2 }));
      expect(second.hasNextPage).toBe(false);
      expect(second.courses.map((c) => c.title)).toEqual(
        Array.from({ length: 5 }, (_, i) => `Paged course ${String(CATALOGUE_PAGE_SIZE + i).padStart(3, "0")}`),
      );
      const beyond = await listCatalogue(pageWorld.users.engineer, pageWorld.platformId, filters({ page: 99 }));
      expect(beyond.page).toBe(2);
    } finally {
      await pageWorld.dispose();
    }
  });

  it("reads filters from the URL, ignoring malformed values", () => {
    expect(parseCatalogueFilters({ q: "  data  ", type: "COURSE", page: "3" })).toEqual({ q: "data", type: "COURSE", page: 3 });
    expect(parseCatalogueFilters({ type: "NOPE", page: "-4", language: ["fr", "de"], source: "x" })).toEqual({ page: 1, language: "fr" });
  });
});
