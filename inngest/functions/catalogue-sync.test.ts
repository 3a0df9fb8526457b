import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { catalogueSchedule } from "@/inngest/functions/sync-schedule";
import { catalogueSyncFunction } from "@/inngest/functions/sync";
import { resetSyncSandbox, startSyncSandbox, stopSyncSandbox } from "@/inngest/functions/sync-sandbox.fixtures";
import { EmbeddedRunner } from "@/inngest/runner";
import { applyHeldRetirements, dismissHeldRetirements } from "@/lib/catalogue/mutations";
import type { CourseraSandbox } from "@/sandbox/server";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { requestSync } from "@/inngest/dispatch";
import { breakdownEquation, countBreakdown } from "@/app/(app)/p/[platformId]/_components/run-labels";

/**
 * The catalogue sync end to end: the real Inngest functions run by the
 * in-process runner (and the schedule by @inngest/test), the production
 * Coursera client over HTTP, the local sandbox and the real database. Each test
 * has its own sandbox org, platform and connector.
 *
 * This is the only test file that runs catalogue-sync jobs: the runner claims
 * any queued job of a function it knows, so a second file doing the same in
 * parallel could run this file's jobs against its own sandbox.
 */

let sandbox: CourseraSandbox;
const runner = new EmbeddedRunner([catalogueSyncFunction], { backoffMs: () => 5, log: () => {} });
const uid = () => randomUUID().slice(0, 8);

beforeAll(async () => {
  sandbox = await startSyncSandbox({ maxAttempts: 2 });
});
afterEach(() => resetSyncSandbox(sandbox));
afterAll(() => stopSyncSandbox(sandbox));

interface World {
  tag: string;
  orgId: string;
  platformId: string;
  connectorId: string;
  contentIds: string[];
  admin: { id: string; email: string };
}

async function world(options: { size: number; threshold?: number }): Promise<World> {
  const tag = uid();
  const orgId = `cat-${tag}`;
  sandbox.control.addOrg({
    orgId,
    clientId: `client-${tag}`,
    clientSecret: `secret-${tag}`,
    catalogueSize: options.size,
    programs: 2,
    enrollmentCount: 0,
  });
  const platform = await db.platform.create({ data: { name: `Catalogue ${tag}`, slug: `cat-${tag}` } });
  const group = await db.group.create({ data: { platformId: platform.id, name: "Everyone" } });
  const admin = await db.user.create({ data: { platformId: platform.id, email: `admin@${tag}.test`, name: "Admin", role: "ADMIN" } });
  const connector = await db.courseraConnector.create({
    data: {
      platformId: platform.id,
      enabled: true,
      enabledAt: new Date(),
      syncGroupId: group.id,
      orgId,
      clientId: `client-${tag}`,
      clientSecretEncrypted: encryptSecret(`secret-${tag}`),
      clientSecretLast4: "ag00",
      massRetirementThreshold: options.threshold ?? 0.2,
    },
  });
  return {
    tag,
    orgId,
    platformId: platform.id,
    connectorId: connector.id,
    contentIds: Array.from({ length: options.size }, (_, i) => sandbox.control.contentIdAt(orgId, i)),
    admin: { id: admin.id, email: admin.email },
  };
}

async function sync(w: World, trigger: "MANUAL" | "SCHEDULE" = "MANUAL") {
  const requested = await requestSync({ connectorId: w.connectorId, kind: "CATALOGUE", trigger, triggeredBy: w.admin });
  if (!requested.ok) throw new Error(requested.message);
  await runner.runUntilIdle();
  return db.syncRun.findUniqueOrThrow({ where: { id: requested.runId }, include: { problems: { orderBy: { createdAt: "asc" } } } });
}

const courses = (w: World) => db.course.findMany({ where: { platformId: w.platformId }, orderBy: { courseraContentId: "asc" } });
const byContent = async (w: World, index: number) =>
  db.course.findUniqueOrThrow({
    where: { platformId_courseraContentId: { platformId: w.platformId, courseraContentId: w.contentIds[index] } },
  });
const raw = (w: World, index: number) => sandbox.control.org(w.orgId).findContent(w.contentIds[index], sandbox.url)!;
const contentsRequests = () => sandbox.control.stats().requests.contents;

describe("catalogue sync", () => {
  it("creates every Coursera content as a course, page by page, with Coursera's fields and live counters", async () => {
    const w = await world({ size: 60 });
    sandbox.control.setMaxPageSize(25);
    const run = await sync(w);

    expect(run).toMatchObject({ status: "SUCCEEDED", kind: "CATALOGUE", trigger: "MANUAL", triggeredById: w.admin.id });
    expect(run).toMatchObject({ pages: 3, fetched: 60, created: 60, updated: 0, unchanged: 0, retired: 0, restored: 0, invalid: 0 });
    expect(run).toMatchObject({ progressDone: 60, progressTotal: 60, errorCode: null, heldRetirements: 0 });
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt).not.toBeNull();

    const all = await courses(w);
    expect(all).toHaveLength(60);
    expect(all.every((c) => c.source === "COURSERA" && c.retiredAt === null && c.contentHash)).toBe(true);

    // One course against what Coursera sent for it.
    const source = raw(w, 7) as Record<string, unknown> & {
      programs: { programId: string; contentUrl: string }[];
      extraMetadata: {
        definition: { skills: { skillId: string; skillName: string }[]; estimatedLearningTime: number; promoPhoto: string };
      };
      partners: { name: string }[];
    };
    const course = await byContent(w, 7);
    expect(course.title).toBe(source.name);
    expect(course.description).toBe(source.description);
    expect(course.slug).toBe(source.slug);
    expect(course.language).toBe(source.languageCode);
    expect(course.subtitleLanguages).toEqual(source.subtitleLanguageCodes);
    expect(course.imageUrl).toBe(source.extraMetadata.definition.promoPhoto);
    expect(course.durationMinutes).toBe(Math.round(source.extraMetadata.definition.estimatedLearningTime / 60));
    expect(course.launchUrl).toBe(source.programs[0].contentUrl);
    expect(course.launchUrl).toContain("/programs/");
    expect(course.programIds).toEqual(source.programs.map((p) => p.programId));
    expect((course.partners as { name: string }[]).map((p) => p.name)).toEqual(source.partners.map((p) => p.name));
    // Coursera's skills are metadata on the course, never admin skills.
    expect(course.courseraSkills).toEqual(source.extraMetadata.definition.skills.map((s) => ({ id: s.skillId, name: s.skillName })));
    expect(await db.courseSkill.count({ where: { course: { platformId: w.platformId } } })).toBe(0);

    // One memoised step per two pages (0 and 25, then 50), then retirement, finish and the alerts' nudge; the run's seen-ids are gone.
    const job = await db.jobRun.findFirstOrThrow({
      where: { functionId: "catalogue-sync", eventData: { path: ["runId"], equals: run.id } },
      include: { steps: true },
    });
    expect(job.steps.map((s) => s.stepKey).sort()).toEqual(["check-alerts", "finish", "page-0", "page-50", "retire", "start"]);
    expect(await db.catalogueSeenItem.count({ where: { runId: run.id } })).toBe(0);
  });

  it("rewrites only what changed, retires what vanished and restores it when it returns, keeping skills and statistics", async () => {
    const w = await world({ size: 30 });
    sandbox.control.setMaxPageSize(10);
    await sync(w);
    const before = new Map((await courses(w)).map((c) => [c.id, c.updatedAt.getTime()]));

    // An admin attaches a skill and a learner has statistics on the course that will vanish.
    const vanishing = await byContent(w, 4);
    const skill = await db.skill.create({ data: { platformId: w.platformId, name: "Negotiation", nameKey: "negotiation" } });
    await db.courseSkill.create({ data: { courseId: vanishing.id, skillId: skill.id, addedById: w.admin.id } });
    const learner = await db.user.create({ data: { platformId: w.platformId, email: `ada@${w.tag}.test`, name: "Ada", role: "LEARNER" } });
    await db.learnerCourseStat.create({
      data: { platformId: w.platformId, userId: learner.id, courseId: vanishing.id, status: "IN_PROGRESS", progressPercent: 40 },
    });

    // Nothing changed: nothing is written, not even updatedAt.
    const unchanged = await sync(w);
    expect(unchanged).toMatchObject({ status: "SUCCEEDED", pages: 3, fetched: 30, created: 0, updated: 0, unchanged: 30, retired: 0 });
    for (const c of await courses(w)) expect(c.updatedAt.getTime()).toBe(before.get(c.id));

    // Coursera renames one course and removes another.
    sandbox.control.upsertContent(w.orgId, { ...raw(w, 2), name: "Renamed by Coursera", description: "New description" });
    sandbox.control.removeContent(w.orgId, w.contentIds[4]);
    const changed = await sync(w);
    expect(changed).toMatchObject({ status: "SUCCEEDED", fetched: 29, created: 0, updated: 1, unchanged: 28, retired: 1, restored: 0 });
    const renamed = await byContent(w, 2);
    expect(renamed).toMatchObject({ title: "Renamed by Coursera", description: "New description" });
    expect(renamed.updatedAt.getTime()).toBeGreaterThan(before.get(renamed.id)!);
    const retired = await byContent(w, 4);
    expect(retired.retiredAt).not.toBeNull();
    for (const c of await courses(w)) {
      if (c.id !== renamed.id && c.id !== retired.id) expect(c.updatedAt.getTime()).toBe(before.get(c.id));
    }
    // Retirement keeps what hangs off the course.
    expect(await db.courseSkill.count({ where: { courseId: retired.id } })).toBe(1);
    expect(await db.learnerCourseStat.count({ where: { courseId: retired.id } })).toBe(1);

    // It comes back: restored, same row, skills and statistics still there.
    sandbox.control.restoreContent(w.orgId, w.contentIds[4]);
    const back = await sync(w);
    expect(back).toMatchObject({ status: "SUCCEEDED", created: 0, updated: 0, restored: 1, retired: 0, unchanged: 29 });
    const restored = await byContent(w, 4);
    expect(restored.id).toBe(vanishing.id);
    expect(restored.retiredAt).toBeNull();
    expect(await db.courseSkill.findMany({ where: { courseId: restored.id }, select: { skillId: true, addedById: true } })).toEqual([
      { skillId: skill.id, addedById: w.admin.id },
    ]);
    expect(await db.learnerCourseStat.count({ where: { courseId: restored.id } })).toBe(1);
  });

  it("holds back a sudden mass drop for an admin, who can dismiss it or apply it", async () => {
    const w = await world({ size: 40, threshold: 0.2 });
    await sync(w);
    for (const id of w.contentIds.slice(0, 12)) sandbox.control.removeContent(w.orgId, id); // 30% > 20%

    const held = await sync(w);
    expect(held).toMatchObject({ status: "NEEDS_REVIEW", retired: 0, heldRetirements: 12, unchanged: 28 });
    const warning = held.problems.find((p) => p.kind === "WARNING");
    expect(warning?.message).toMatch(/12 of 40 Coursera courses \(30%\).*Nothing was retired/);
    expect(await db.course.count({ where: { platformId: w.platformId, retiredAt: { not: null } } })).toBe(0);

    // Dismissed: nothing retired, run closed.
    expect(await dismissHeldRetirements({ platformId: w.platformId, runId: held.id, actor: w.admin })).toEqual({ ok: true, retired: 0 });
    expect(await db.syncRun.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({
      status: "SUCCEEDED",
      heldRetirements: 0,
      retired: 0,
    });
    expect(await db.course.count({ where: { platformId: w.platformId, retiredAt: { not: null } } })).toBe(0);
    expect((await dismissHeldRetirements({ platformId: w.platformId, runId: held.id, actor: w.admin })).ok).toBe(false);

    // The next sync sees the same drop and holds it again; this time the admin applies it.
    const again = await sync(w);
    expect(again).toMatchObject({ status: "NEEDS_REVIEW", heldRetirements: 12 });
    // Another platform's admin cannot decide for this one.
    expect(await applyHeldRetirements({ platformId: "another-platform", runId: again.id, actor: w.admin })).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    expect(await applyHeldRetirements({ platformId: w.platformId, runId: again.id, actor: w.admin })).toEqual({ ok: true, retired: 12 });
    expect(await db.syncRun.findUniqueOrThrow({ where: { id: again.id } })).toMatchObject({
      status: "SUCCEEDED",
      heldRetirements: 0,
      retired: 12,
    });
    const retired = await db.course.findMany({
      where: { platformId: w.platformId, retiredAt: { not: null } },
      select: { courseraContentId: true },
    });
    expect(retired.map((c) => c.courseraContentId).sort()).toEqual(w.contentIds.slice(0, 12).sort());
    expect(
      await db.auditLog.count({
        where: { platformId: w.platformId, action: { in: ["catalogue.retirements-applied", "catalogue.retirements-dismissed"] } },
      }),
    ).toBe(2);
    expect(await db.catalogueSeenItem.count({ where: { runId: { in: [held.id, again.id] } } })).toBe(0);
  });

  it("a later sync supersedes retirements still held on an earlier one", async () => {
    const w = await world({ size: 20, threshold: 0.2 });
    await sync(w);
    for (const id of w.contentIds.slice(0, 10)) sandbox.control.removeContent(w.orgId, id);
    const held = await sync(w);
    expect(held).toMatchObject({ status: "NEEDS_REVIEW", heldRetirements: 10 });
    // Coursera's catalogue was only briefly short: the next listing is whole again.
    for (const id of w.contentIds.slice(0, 10)) sandbox.control.restoreContent(w.orgId, id);
    const next = await sync(w);
    expect(next).toMatchObject({ status: "SUCCEEDED", retired: 0, unchanged: 20 });
    expect(await db.syncRun.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({ heldRetirements: 0 });
    expect(await applyHeldRetirements({ platformId: w.platformId, runId: held.id, actor: w.admin })).toMatchObject({
      ok: false,
      code: "NOTHING_HELD",
    });
    expect(await db.course.count({ where: { platformId: w.platformId, retiredAt: { not: null } } })).toBe(0);
  });

  it("a listing that fails part-way retires nothing and the run fails with Coursera's reason", async () => {
    // A high threshold: the half of the catalogue that vanishes would otherwise be held, not retired.
    const w = await world({ size: 100, threshold: 0.6 });
    sandbox.control.setMaxPageSize(20);
    await sync(w);
    // Coursera now lists only half the catalogue, then goes down after two pages.
    for (const id of w.contentIds.slice(50)) sandbox.control.removeContent(w.orgId, id);
    sandbox.control.upsertContent(w.orgId, { ...raw(w, 0), name: "Updated before the outage" });
    sandbox.control.injectFault({ endpoint: "contents", kind: "server-error-503", afterRequests: 2, times: "always" });

    const failed = await sync(w);
    expect(failed.status).toBe("FAILED");
    expect(failed.errorCode).toBe("UNAVAILABLE");
    expect(failed.errorMessage).toMatch(/^Coursera did not answer properly after 2 attempts \(last problem: HTTP 503\)/);
    expect(failed).toMatchObject({ pages: 2, fetched: 40, updated: 1, retired: 0, heldRetirements: 0 });
    // The pages read before the outage were written; nothing was retired.
    expect((await byContent(w, 0)).title).toBe("Updated before the outage");
    expect(await db.course.count({ where: { platformId: w.platformId, retiredAt: null } })).toBe(100);
    expect(await db.catalogueSeenItem.count({ where: { runId: failed.id } })).toBe(0);
    // Inngest's retries were used (the 4 attempts all failed at the third page).
    const job = await db.jobRun.findFirstOrThrow({
      where: { functionId: "catalogue-sync", eventData: { path: ["runId"], equals: failed.id } },
    });
    expect(job).toMatchObject({ status: "FAILED", attempt: 4 });

    // Once Coursera is back, the next sync completes and retires the 50.
    sandbox.control.clearFaults();
    const recovered = await sync(w);
    expect(recovered).toMatchObject({ status: "SUCCEEDED", retired: 50 });
  });

  it("a retry resumes at the page that failed instead of starting over", async () => {
    const w = await world({ size: 50 });
    sandbox.control.setMaxPageSize(10);
    // The third page fails four times in a row: both of the client's attempts when it is read ahead
    // (during page 2's step; a failed read-ahead is dropped), then both again in its own step, which
    // fails: one function retry.
    sandbox.control.injectFault({ endpoint: "contents", kind: "server-error-500", afterRequests: 2, times: 4 });
    const requestsBefore = contentsRequests();
    const run = await sync(w);
    expect(run).toMatchObject({ status: "SUCCEEDED", pages: 5, fetched: 50, created: 50, errorCode: null });
    // 5 pages + 4 failed attempts: pages 1 and 2 were not fetched again.
    expect(contentsRequests() - requestsBefore).toBe(9);
    const job = await db.jobRun.findFirstOrThrow({
      where: { functionId: "catalogue-sync", eventData: { path: ["runId"], equals: run.id } },
    });
    expect(job.attempt).toBe(2);
  });

  it("stops at once on rejected credentials, with the message an admin can act on", async () => {
    const w = await world({ size: 5 });
    await db.courseraConnector.update({ where: { id: w.connectorId }, data: { clientSecretEncrypted: encryptSecret("wrong-secret") } });
    const run = await sync(w);
    expect(run).toMatchObject({ status: "FAILED", errorCode: "BAD_CREDENTIALS", retired: 0 });
    expect(run.errorMessage).toMatch(/Coursera rejected the client ID or client secret/);
    expect(run.errorMessage).not.toContain("wrong-secret");
    const job = await db.jobRun.findFirstOrThrow({
      where: { functionId: "catalogue-sync", eventData: { path: ["runId"], equals: run.id } },
    });
    expect(job.attempt).toBe(1);
  });

  it("keeps the rest of a page when one element is malformed, and records it", async () => {
    const w = await world({ size: 12 });
    await sync(w);
    // An unreadable new element, and a known one arriving broken.
    sandbox.control.upsertContent(w.orgId, { contentId: `broken-${w.tag}`, contentType: "Course", description: "no name" });
    sandbox.control.injectFault({ endpoint: "contents", kind: "malformed-element" });
    const run = await sync(w);
    expect(run).toMatchObject({ status: "SUCCEEDED", fetched: 13, invalid: 2, created: 0, unchanged: 11, retired: 0 });
    const invalid = run.problems.filter((p) => p.kind === "INVALID_RECORD");
    expect(invalid.map((p) => p.itemId).sort()).toEqual([`broken-${w.tag}`, w.contentIds[1]].sort());
    expect(invalid.every((p) => /missing name/.test(p.message))).toBe(true);
    // The known course that arrived broken is still there, untouched, not retired.
    expect((await byContent(w, 1)).retiredAt).toBeNull();
    expect(await db.course.count({ where: { platformId: w.platformId } })).toBe(12);
  });

  it("counts add up for an admin: fetched = new + … + duplicates + invalid, on a listing that shifts while read", async () => {
    const w = await world({ size: 12 });
    sandbox.control.setMaxPageSize(5);
    // Course #3 is gone when page 1 is read and back before page 2 is: everything after it moves one
    // place down, so page 2 starts with the item page 1 ended with (a duplicate). Page 1 also carries
    // one malformed element (invalid). The second contents request is held until #3 is back.
    sandbox.control.removeContent(w.orgId, w.contentIds[3]);
    sandbox.control.injectFault({ endpoint: "contents", kind: "delay", afterRequests: 1, delayMs: 1_500 });
    sandbox.control.injectFault({ endpoint: "contents", kind: "malformed-element" });
    const before = contentsRequests();
    const restored = (async () => {
      while (contentsRequests() < before + 2) await new Promise((r) => setTimeout(r, 10));
      sandbox.control.restoreContent(w.orgId, w.contentIds[3]);
    })();
    const run = await sync(w);
    await restored;

    expect(run).toMatchObject({ status: "SUCCEEDED", fetched: 12, invalid: 1, duplicates: 1, created: 10 });
    const breakdown = countBreakdown(run);
    expect(breakdown.parts.reduce((sum, part) => sum + part.value, 0)).toBe(run.fetched);
    expect(breakdown.unaccounted).toBe(0);
    expect(breakdownEquation(breakdown)).toBe("12 fetched = 10 new + 1 duplicates + 1 invalid");

    // A re-sync of the settled listing: new are the one page 1 never carried and the one it carried unreadable.
    const again = await sync(w);
    expect(again).toMatchObject({ fetched: 12, created: 2, unchanged: 10, duplicates: 0, invalid: 0 });
    expect(countBreakdown(again).unaccounted).toBe(0);
  });

  it("two triggers at once yield one run", async () => {
    const w = await world({ size: 8 });
    const [a, b] = await Promise.all([
      requestSync({ connectorId: w.connectorId, kind: "CATALOGUE", trigger: "MANUAL", triggeredBy: w.admin }),
      requestSync({ connectorId: w.connectorId, kind: "CATALOGUE", trigger: "SCHEDULE" }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.runId).toBe(b.runId);
    expect([a.alreadyRunning, b.alreadyRunning].sort()).toEqual([false, true]);
    await runner.runUntilIdle();
    const runs = await db.syncRun.findMany({ where: { connectorId: w.connectorId, kind: "CATALOGUE" } });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "SUCCEEDED", created: 8 });
    expect(
      await db.jobRun.count({ where: { functionId: "catalogue-sync", eventData: { path: ["connectorId"], equals: w.connectorId } } }),
    ).toBe(1);
    expect(await db.course.count({ where: { platformId: w.platformId } })).toBe(8);
  });

  it("fails a queued run whose connector was disabled before it started, touching nothing", async () => {
    const w = await world({ size: 5 });
    const requested = await requestSync({ connectorId: w.connectorId, kind: "CATALOGUE", trigger: "MANUAL" });
    if (!requested.ok) throw new Error(requested.message);
    await db.courseraConnector.update({ where: { id: w.connectorId }, data: { enabled: false } });
    await runner.runUntilIdle();
    expect(await db.syncRun.findUniqueOrThrow({ where: { id: requested.runId } })).toMatchObject({
      status: "FAILED",
      errorCode: "CONNECTOR_NOT_READY",
    });
    expect(await db.course.count({ where: { platformId: w.platformId } })).toBe(0);
  });
});

describe("catalogue schedule", () => {
  it("fans out one scheduled sync to each connector whose schedule came due, and the syncs run", async () => {
    // A tick in the past, before any other test's connector existed, so only ours can be due.
    const tick = Date.UTC(2020, 0, 1, 0, 0, 0);
    const at = (iso: string) => new Date(iso);
    const due = await world({ size: 3 });
    await db.courseraConnector.update({
      where: { id: due.connectorId },
      data: { enabledAt: at("2019-12-30T00:00:00Z"), catalogueTime: "02:00" },
    });
    const dueCustom = await world({ size: 3 });
    // Its last scheduled sync was yesterday at 18:00; its schedule says 23:30 daily.
    await db.courseraConnector.update({
      where: { id: dueCustom.connectorId },
      data: { enabledAt: at("2019-06-01T00:00:00Z"), catalogueTime: "23:30" },
    });
    await db.syncRun.create({
      data: {
        platformId: dueCustom.platformId,
        connectorId: dueCustom.connectorId,
        kind: "CATALOGUE",
        trigger: "SCHEDULE",
        status: "SUCCEEDED",
        queuedAt: at("2019-12-31T18:00:00Z"),
      },
    });
    const notYet = await world({ size: 3 });
    // Synced on schedule at 02:00 yesterday; the next 02:00 is after the tick.
    await db.courseraConnector.update({
      where: { id: notYet.connectorId },
      data: { enabledAt: at("2019-06-01T00:00:00Z"), catalogueTime: "02:00" },
    });
    await db.syncRun.create({
      data: {
        platformId: notYet.platformId,
        connectorId: notYet.connectorId,
        kind: "CATALOGUE",
        trigger: "SCHEDULE",
        status: "SUCCEEDED",
        queuedAt: at("2019-12-31T02:00:00Z"),
      },
    });
    const tokyo = await world({ size: 3 });
    // 08:00 in Tokyo, its own zone, is 23:00 UTC: due since the 31st at 23:00, an hour before the tick.
    await db.courseraConnector.update({
      where: { id: tokyo.connectorId },
      data: { enabledAt: at("2019-06-01T00:00:00Z"), catalogueTime: "08:00", timeZone: "Asia/Tokyo" },
    });
    await db.syncRun.create({
      data: {
        platformId: tokyo.platformId,
        connectorId: tokyo.connectorId,
        kind: "CATALOGUE",
        trigger: "SCHEDULE",
        status: "SUCCEEDED",
        queuedAt: at("2019-12-30T23:00:00Z"),
      },
    });
    const disabled = await world({ size: 3 });
    await db.courseraConnector.update({
      where: { id: disabled.connectorId },
      data: { enabled: false, enabledAt: at("2019-12-30T00:00:00Z") },
    });

    // The tick runs under the SDK's own executor; the events its send step hands to Inngest
    // are delivered to the embedded runner, which runs the syncs.
    const engine = new InngestTestEngine({
      function: catalogueSchedule.sdk,
      events: [{ name: "inngest/scheduled.timer", data: { cron: "*/5 * * * *" }, ts: tick }],
      steps: [{ id: "start-runs-0", handler: () => ({ ids: [] }) }],
    });
    const { result, ctx } = await engine.execute();
    const sendEvent = vi.mocked(ctx.step.sendEvent);
    expect(sendEvent).toHaveBeenCalledTimes(1);
    const sent = sendEvent.mock.calls[0][1] as { name: string; id: string; data: { runId: string; connectorId: string } }[];
    const mine = sent.filter((e) => [due, dueCustom, tokyo, notYet, disabled].some((w) => w.connectorId === e.data.connectorId));
    expect(mine.map((e) => e.data.connectorId).sort()).toEqual([due.connectorId, dueCustom.connectorId, tokyo.connectorId].sort());
    expect(mine.every((e) => e.id === `run-${e.data.runId}` && e.name === "coursera/catalogue.sync-requested")).toBe(true);
    expect(result).toMatchObject({ started: sent.length });
    await runner.send(mine as never);

    await runner.runUntilIdle();
    for (const w of [due, dueCustom, tokyo]) {
      const runs = await db.syncRun.findMany({
        where: { connectorId: w.connectorId, kind: "CATALOGUE", queuedAt: { gt: at("2020-06-01T00:00:00Z") } },
      });
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ trigger: "SCHEDULE", status: "SUCCEEDED", created: 3 });
      expect(await db.course.count({ where: { platformId: w.platformId } })).toBe(3);
    }
    for (const w of [notYet, disabled]) expect(await db.course.count({ where: { platformId: w.platformId } })).toBe(0);
  });
});
