import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db";
import { listCatalogue } from "@/lib/learning/catalogue-queries";
import { createLearningWorld, type LearningWorld } from "@/lib/learning/learning-world.fixtures";
import { RELEVANCE_COURSES, RELEVANCE_QUERIES, relevanceDistractors } from "./relevance-set";

/**
 * The relevance set (relevance-set.ts) against the real search: the share of
 * each query's expected courses found in its first five results, averaged over
 * the queries, must be at least 0.9; the queries that should find nothing find
 * nothing, for a learner who sees the whole catalogue.
 */
let world: LearningWorld;
const keyOf = new Map<string, string>();

beforeAll(async () => {
  world = await createLearningWorld();
  for (const course of RELEVANCE_COURSES) {
    const id = await world.coursera({
      title: course.title,
      description: course.description,
      partners: course.partners,
      courseraSkills: course.skills,
      language: course.language,
      contentType: course.contentType,
    });
    keyOf.set(id, course.key);
    if (course.adminSkill) await world.skill(course.adminSkill, [id]);
  }
  await db.course.createMany({
    data: relevanceDistractors(1000).map((d, i) => ({
      platformId: world.platformId,
      source: "COURSERA" as const,
      courseraContentId: `distractor-${world.tag}-${i}`,
      title: d.title,
      description: d.description,
      partners: (d.partners ?? []).map((name) => ({ name, logoUrl: null })),
    })),
  });
}, 120_000);
afterAll(async () => {
  await world.dispose();
  await disconnectDb();
});

async function top5(q: string): Promise<string[]> {
  const { courses } = await listCatalogue(world.users.engineer, world.platformId, { q, page: 1 });
  return courses.slice(0, 5).map((c) => keyOf.get(c.id) ?? c.title);
}

describe("the relevance set", () => {
  it("has at least 40 queries, some of them that should find nothing", () => {
    expect(RELEVANCE_QUERIES.length).toBeGreaterThanOrEqual(40);
    expect(RELEVANCE_QUERIES.filter((r) => r.top5.length === 0).length).toBeGreaterThan(0);
  });

  it("puts the expected courses in the first five results (precision at 5 ≥ 0.9) and finds nothing where nothing should be", async () => {
    const scored = [];
    for (const query of RELEVANCE_QUERIES.filter((r) => r.top5.length > 0)) {
      const found = await top5(query.q);
      const hits = query.top5.filter((key) => found.includes(key)).length;
      scored.push({ ...query, found, score: hits / query.top5.length });
    }
    const precision = scored.reduce((sum, s) => sum + s.score, 0) / scored.length;
    const misses = scored
      .filter((s) => s.score < 1)
      .map((s) => `${s.kind} "${s.q}": expected ${s.top5.join(", ")}; got ${s.found.join(", ")}`);
    console.info(
      `Relevance set: precision at 5 = ${precision.toFixed(3)} over ${scored.length} queries${misses.length ? `; misses:\n  ${misses.join("\n  ")}` : ""}`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.9);

    for (const query of RELEVANCE_QUERIES.filter((r) => r.top5.length === 0)) {
      expect(await top5(query.q), query.q).toEqual([]);
    }
  }, 120_000);
});
