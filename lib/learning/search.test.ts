import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb, Prisma } from "@/lib/db";
import { catalogueCountSql, catalogueRowsSql, listCatalogue, resolveSearch } from "@/lib/learning/catalogue-queries";
import { createLearningWorld, type LearningWorld } from "@/lib/learning/learning-world.fixtures";

let world: LearningWorld;

const search = async (q: string, userId = world.users.engineer) =>
  (await listCatalogue(userId, world.platformId, { q, page: 1 })).courses.map((c) => c.title);

beforeAll(async () => {
  world = await createLearningWorld();
  await world.coursera({ title: "Kubernetes in Production", description: "Run containers at scale." });
  await world.coursera({
    title: "Site Reliability Basics",
    description: "Operate Kubernetes clusters, Kubernetes upgrades and Kubernetes networking day to day.",
  });
  await world.coursera({ title: "Negotiation Skills", description: "Get to yes.", partners: ["University of Michigan"] });
  await world.coursera({ title: "Statistics with R", courseraSkills: ["Regression Analysis", "Data Visualization"] });
  await world.coursera({ title: "Node.js Services", description: "Build APIs." });
  await world.coursera({ title: "Machine-Learning Fundamentals" });
  await world.coursera({ title: "Retired Kubernetes Deep Dive", retired: true });
  const leadership = await world.coursera({ title: "Leading Teams", description: "For new managers." });
  await world.skill("People Management", [leadership]);
  await world.native("Kubernetes at Acme", [world.groups.security]); // visible only to the Security group
});
afterAll(async () => {
  await world.dispose();
  await disconnectDb();
});

describe("searching the catalogue", () => {
  it("ranks title matches first, then description matches, and never shows a retired or invisible course", async () => {
    // "Site Reliability Basics" says Kubernetes three times in its description, but the title match wins.
    expect(await search("kubernetes")).toEqual(["Kubernetes in Production", "Site Reliability Basics"]);
  });

  it("matches word prefixes, whatever the case", async () => {
    expect(await search("KUBER")).toEqual(["Kubernetes in Production", "Site Reliability Basics"]);
    expect(await search("site rel")).toEqual(["Site Reliability Basics"]);
  });

  it("requires every word", async () => {
    expect(await search("kubernetes production")).toEqual(["Kubernetes in Production"]);
    expect(await search("kubernetes negotiation")).toEqual([]);
  });

  it("finds a course by its description", async () => {
    expect(await search("containers")).toEqual(["Kubernetes in Production"]);
  });

  it("finds a course by a partner's name", async () => {
    expect(await search("michigan")).toEqual(["Negotiation Skills"]);
  });

  it("finds a course by one of Coursera's skills", async () => {
    expect(await search("regression")).toEqual(["Statistics with R"]);
  });

  it("finds a course by a skill an admin attached", async () => {
    expect(await search("people management")).toEqual(["Leading Teams"]);
  });

  it("splits words as the courses were split (punctuated names, hyphenated words)", async () => {
    expect(await search("node.js")).toEqual(["Node.js Services"]);
    expect(await search("machine learning")).toEqual(["Machine-Learning Fundamentals"]);
  });

  it("searches only what the learner may see", async () => {
    expect(await search("kubernetes", world.users.security)).toEqual(["Kubernetes at Acme"]);
    expect(await search("kubernetes", world.users.seller)).toEqual([]);
  });

  it("treats query syntax and SQL as plain words", async () => {
    for (const q of ["'", "\\", "a & | ! ( ) :*", '\'); DROP TABLE "Course"; --', "kubernetes:*A | negotiation"]) {
      await expect(listCatalogue(world.users.engineer, world.platformId, { q, page: 1 })).resolves.toBeDefined();
    }
    expect(await search("kubernetes:*A | negotiation")).toEqual([]);
    expect(await db.course.count({ where: { platformId: world.platformId } })).toBeGreaterThan(0);
  });

  it("shows the whole catalogue for a query with nothing to search for", async () => {
    expect((await search("   ?!  ")).length).toBe((await search("")).length);
  });

  it("runs the catalogue's search on the GIN index, not a scan of every course", async () => {
    // Enough other courses on the platform for the index to be worth it, as in a real catalogue.
    await db.course.createMany({
      data: Array.from({ length: 3000 }, (_, i) => ({
        platformId: world.platformId,
        source: "COURSERA" as const,
        courseraContentId: `filler-${i}`,
        title: `Filler course ${i}`,
        description: "About something else entirely.",
      })),
    });
    await db.$executeRawUnsafe(`ANALYZE "Course"`);
    const filters = { q: "kubernetes", page: 1 };
    const search = await resolveSearch(world.platformId, filters.q);
    const explain = async (sql: Prisma.Sql) =>
      (await db.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN ${sql}`)).map((r) => r["QUERY PLAN"]).join("\n");
    // The count on the whole-course index, never a scan.
    const count = await explain(catalogueCountSql(world.users.engineer, world.platformId, filters, search));
    expect(count).toContain("Course_searchVector_idx");
    expect(count).not.toMatch(/Seq Scan on "Course"/);
    // The ranked page starts with the title tier on the title's own index (later tiers, read only when
    // the page is not full, are the planner's choice: each reads at most a bounded number of courses).
    const rows = await explain(catalogueRowsSql(world.users.engineer, world.platformId, filters, search));
    expect(rows).toContain("Course_titleVector_idx");
  }, 90_000);
});
