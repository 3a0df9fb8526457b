import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db";
import {
  catalogueFacets,
  countCatalogue,
  COUNT_BOUND,
  listCatalogue,
  TIER_READ_BOUND,
  TIER_WALK_BOUND,
} from "@/lib/learning/catalogue-queries";
import { createLearningWorld, type LearningWorld } from "@/lib/learning/learning-world.fixtures";
import type { CatalogueFilters } from "@/lib/learning/schema";
import { resolveSearch } from "./resolve";

/** The search engine's behaviours on real PostgreSQL: typos, accents, Did you mean, bounded counts, facets. */
let world: LearningWorld;

const filters = (f: Partial<CatalogueFilters> = {}): CatalogueFilters => ({ page: 1, ...f });
const titles = async (q: string, userId = world.users.engineer) =>
  (await listCatalogue(userId, world.platformId, filters({ q }))).courses.map((c) => c.title);

beforeAll(async () => {
  world = await createLearningWorld();
  await world.coursera({ title: "Python for Everybody", partners: ["University of Michigan"] });
  await world.coursera({ title: "Pythonic Patterns" });
  await world.coursera({ title: "École de la donnée", language: "fr" });
  await world.coursera({ title: "Design Systems", description: "Resign from pixel pushing." });
  await world.coursera({ title: "Kubernetes Operations", courseraSkills: ["Container Orchestration"] });
});
afterAll(async () => {
  await world.dispose();
  await disconnectDb();
});

describe("typos", () => {
  it("finds with one wrong, missing, extra or swapped letter what the right word finds", async () => {
    for (const q of ["pythom", "pyton", "pythoon", "pyhton"]) expect(await titles(`${q} everybody`), q).toEqual(["Python for Everybody"]);
  });

  it("forgives two mistakes in a word of ten letters or more, not in a shorter one", async () => {
    expect(await titles("kubrenetse")).toEqual(["Kubernetes Operations"]);
    expect(await titles("orchestraiton")).toEqual(["Kubernetes Operations"]);
    expect(await titles("dseing")).toEqual([]); // two mistakes in six letters
  });

  it("ranks what the words as typed find above what their corrections find", async () => {
    // "design" is a word of the catalogue; "resign", one letter away, ranks below it.
    expect(await titles("design")).toEqual(["Design Systems"]);
    const page = await listCatalogue(world.users.engineer, world.platformId, filters({ q: "design " }));
    expect(page.didYouMean).toBeNull();
  });

  it("says Did you mean when only the corrections find something, and not otherwise", async () => {
    const typo = await listCatalogue(world.users.engineer, world.platformId, filters({ q: "pyhton everybody" }));
    expect(typo.didYouMean).toBe("python everybody");
    const right = await listCatalogue(world.users.engineer, world.platformId, filters({ q: "python everybody" }));
    expect(right.didYouMean).toBeNull();
  });

  it("a word PostgreSQL splits at a number ('114e492a': '114e492' and 'a') finds its course while it is typed", async () => {
    await world.coursera({ title: "Batch 114e492a Handbook" });
    await world.coursera({ title: "Alpha Arrays Almanac" });
    expect(await titles("114e492a")).toEqual(["Batch 114e492a Handbook"]);
    expect(await titles("114e492a ")).toEqual(["Batch 114e492a Handbook"]);
  });

  it("learns the words of a course renamed later (the vocabulary follows the catalogue)", async () => {
    // A native course: a Coursera course's title changes only through the catalogue sync.
    const id = await world.native("Placeholder", [world.groups.engineering]);
    expect(await titles("quaternions")).toEqual([]);
    await db.course.update({ where: { id }, data: { title: "Quaternions Explained" } });
    expect(await titles("quaternoins")).toEqual(["Quaternions Explained"]);
  });
});

describe("one customer's words", () => {
  it("never corrects or completes into another platform's vocabulary", async () => {
    const other = await createLearningWorld();
    try {
      await other.coursera({ title: "Zygomorphic Quasars" });
      const typo = await listCatalogue(world.users.engineer, world.platformId, filters({ q: "zygomorphik quasars" }));
      expect(typo.courses).toEqual([]);
      expect(typo.didYouMean).toBeNull();
      const typing = await resolveSearch(world.platformId, "zygomor");
      expect(typing?.words[0].completions).toEqual([]);
      expect(typing?.words[0].corrections).toEqual([]);
      // The other platform's learners get both.
      expect((await resolveSearch(other.platformId, "zygomor"))?.words[0].completions).toEqual(["zygomorphic"]);
      expect((await listCatalogue(other.users.engineer, other.platformId, filters({ q: "zygomorphik" }))).didYouMean).toBe("zygomorphic");
    } finally {
      await other.dispose();
    }
    // A deleted platform's words go with it.
    expect(await db.searchWord.count({ where: { platformId: other.platformId } })).toBe(0);
  });
});

describe("accents, case and prefixes", () => {
  it("ignores accents and case both ways", async () => {
    expect(await titles("ecole")).toEqual(["École de la donnée"]);
    expect(await titles("ÉCOLE DONNEE")).toEqual(["École de la donnée"]);
  });

  it("completes the word being typed, not the words before it, and a trailing space ends it", async () => {
    expect(await titles("pyth")).toEqual(["Pythonic Patterns", "Python for Everybody"]); // equals: the newest first
    expect(await titles("python")).toContain("Pythonic Patterns");
    expect(await titles("python ")).toEqual(["Python for Everybody"]);
    expect(await titles("pyth everybody")).toEqual([]);
    const resolved = await resolveSearch(world.platformId, "kubern");
    expect(resolved?.words[0].completions).toEqual(["kubernetes"]);
  });
});

describe("among equals, the newest first", () => {
  /** `count` Coursera courses titled `${word} N`, stored oldest first as a sync stores a catalogue, N minutes after `from`. */
  const dated = (platformId: string, word: string, count: number, from: number) =>
    db.course.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        platformId,
        source: "COURSERA" as const,
        courseraContentId: `${word}-${i}`,
        title: `${word} ${from + i}`,
        createdAt: new Date(Date.UTC(2020, 0, 1) + (from + i) * 60_000),
      })),
    });
  const titlesOf = async (world: LearningWorld, q: string, page = 1) =>
    (await listCatalogue(world.users.engineer, world.platformId, filters({ q, page }))).courses.map((c) => c.title);

  it("shows a frequent word's newest courses first, on every page, whatever order they were stored in", async () => {
    const many = await createLearningWorld();
    try {
      // More titles hold the word than a tier reads through the GIN index: it walks the newest courses instead.
      const count = TIER_READ_BOUND + 100;
      await dated(many.platformId, "Heliography", count, 0);
      const newest = (page: number) => Array.from({ length: 24 }, (_, i) => `Heliography ${count - 1 - (page - 1) * 24 - i}`);
      expect(await titlesOf(many, "heliography")).toEqual(newest(1));
      expect(await titlesOf(many, "heliography", 2)).toEqual(newest(2));
    } finally {
      await many.dispose();
    }
  }, 60_000);

  it("shows them first too when the word's courses are all older than the newest courses a walk reads", async () => {
    const many = await createLearningWorld();
    try {
      await dated(many.platformId, "Heliography", TIER_READ_BOUND + 100, 0);
      await dated(many.platformId, "Recent", TIER_WALK_BOUND + 100, TIER_READ_BOUND + 100);
      const titles = await titlesOf(many, "heliography");
      expect(titles).toEqual(Array.from({ length: 24 }, (_, i) => `Heliography ${TIER_READ_BOUND + 99 - i}`));
    } finally {
      await many.dispose();
    }
  }, 120_000);
});

describe("counts and facets", () => {
  it("counts exactly up to the bound and says more beyond it", async () => {
    const big = await createLearningWorld();
    try {
      await db.course.createMany({
        data: Array.from({ length: COUNT_BOUND + 20 }, (_, i) => ({
          platformId: big.platformId,
          source: "COURSERA" as const,
          courseraContentId: `bulk-${i}`,
          title: `Bulk course ${i}`,
          language: i % 2 ? "en" : "fr",
        })),
      });
      expect(
        await countCatalogue(big.users.engineer, big.platformId, filters({ q: "bulk" }), await resolveSearch(big.platformId, "bulk")),
      ).toEqual({
        count: COUNT_BOUND,
        more: true,
      });
      expect(
        await countCatalogue(
          big.users.engineer,
          big.platformId,
          filters({ q: "bulk", language: "fr" }),
          await resolveSearch(big.platformId, "bulk"),
        ),
      ).toEqual({
        count: (COUNT_BOUND + 20) / 2,
        more: false,
      });
    } finally {
      await big.dispose();
    }
  }, 60_000);

  it("gives each filter value the number of courses choosing it keeps", async () => {
    const search = await resolveSearch(world.platformId, "python");
    const facets = await catalogueFacets(world.users.engineer, world.platformId, filters({ q: "python" }), search);
    expect(facets.partners).toEqual([{ value: "University of Michigan", count: { count: 1, more: false } }]);
    expect(facets.total).toEqual(await countCatalogue(world.users.engineer, world.platformId, filters({ q: "python" }), search));
    for (const facet of facets.languages) {
      const kept = await countCatalogue(world.users.engineer, world.platformId, filters({ q: "python", language: facet.value }), search);
      expect(kept).toEqual(facet.count);
    }
  });

  it("offers nothing from the Coursera courses to a learner outside the receiving groups, whatever the query", async () => {
    for (const q of ["python", "pyhton", "pyth", "ecole", "michigan", "container orchestration"]) {
      expect(await titles(q, world.users.seller), q).toEqual([]);
      const search = await resolveSearch(world.platformId, q);
      expect(await countCatalogue(world.users.seller, world.platformId, filters({ q }), search)).toEqual({ count: 0, more: false });
      const facets = await catalogueFacets(world.users.seller, world.platformId, filters({ q }), search);
      expect(facets.hasCoursera).toBe(false);
    }
  });
});
