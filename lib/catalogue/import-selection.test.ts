import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCourseraSandbox, type CourseraSandbox } from "@/sandbox/server";
import { setCourseraClientOverrides } from "@/lib/connectors/coursera-client";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db, disconnectDb } from "@/lib/db";
import { catalogueSync } from "@/lib/catalogue/sync";
import { isSelected, IMPORT_EVERYTHING, type ImportSelection } from "@/lib/catalogue/import-selection";
import { selectedSql } from "@/lib/catalogue/import-preview";
import { previewSelection, saveImportSelection } from "@/lib/catalogue/selection-mutations";
import { listConnectorPrograms } from "@/lib/connectors/programs";
import { openSyncRun, type SyncStarter } from "@/lib/sync/runs";
import { runSyncInThisProcess } from "@/lib/sync/run-in-process.fixtures";
import type { AnyPagedSync } from "@/lib/sync/pipeline";
import { CONTENT_TYPES, type CourseraContentType } from "@/lib/coursera/schema";

/**
 * Issue 19, part 1: an admin chooses which programs, content types and
 * languages are imported, sees a dry run of the change, and the catalogue sync
 * that follows does exactly what the dry run said: narrowing retires (through
 * the mass-drop hold when it is large), widening adds back. Real HTTP to the
 * sandbox, real PostgreSQL; the sync runs step by step in this process.
 */

let sandbox: CourseraSandbox;
const tag = randomUUID().slice(0, 8);
const PROGRAMS = [
  { id: `p-data-${tag}`, slug: `data-${tag}`, name: "Data Academy" },
  { id: `p-lead-${tag}`, slug: `lead-${tag}`, name: "Leadership Academy" },
  { id: `p-cloud-${tag}`, slug: `cloud-${tag}`, name: "Cloud Academy" },
];

beforeAll(async () => {
  sandbox = await startCourseraSandbox({ port: 0, includeDemoOrg: false });
  setCourseraClientOverrides({ baseUrl: sandbox.url, requestsPerSecond: 0 });
});

afterAll(async () => {
  setCourseraClientOverrides({});
  await sandbox?.close();
  await disconnectDb();
});

/** A platform with its own Coursera organisation (one platform per organisation), synced once with everything imported. */
async function world(threshold: number) {
  const id = randomUUID().slice(0, 8);
  // The same seed and programs for every organisation: the same 90 items each time.
  const org = { orgId: `select-${id}`, clientId: `client-${id}`, clientSecret: `secret-${id}-abcd` };
  sandbox.control.addOrg({ ...org, seed: 1919, catalogueSize: 90, programs: PROGRAMS, learners: { count: 2 }, enrollmentCount: 0 });
  const platform = await db.platform.create({ data: { name: `Selection ${id}`, slug: `selection-${id}` } });
  const group = await db.group.create({ data: { platformId: platform.id, name: "Everyone", isPublic: true } });
  const admin = await db.user.create({
    data: { platformId: platform.id, email: `admin-${id}@selection.test`, name: "Admin", role: "ADMIN" },
  });
  const connector = await db.courseraConnector.create({
    data: {
      platformId: platform.id,
      enabled: true,
      syncGroupId: group.id,
      orgId: org.orgId,
      clientId: org.clientId,
      clientSecretEncrypted: encryptSecret(org.clientSecret),
      massRetirementThreshold: threshold,
    },
  });
  const actor = { id: admin.id, email: admin.email };
  let lastRunId: string | null = null;
  /** Opens the run as the app does and runs it here, as the job would. */
  const startSync: SyncStarter = async (request) => {
    const opened = await openSyncRun(request);
    if (opened.ok && !opened.alreadyRunning) {
      lastRunId = opened.runId;
      await runSyncInThisProcess(catalogueSync as AnyPagedSync, { runId: opened.runId, connectorId: connector.id });
    }
    return opened;
  };
  const lastRun = () => db.syncRun.findUniqueOrThrow({ where: { id: lastRunId! }, include: { problems: true } });
  const activeCourses = () =>
    db.course.findMany({
      where: { platformId: platform.id, retiredAt: null },
      select: { id: true, title: true, contentType: true, language: true, programIds: true },
    });
  await startSync({ connectorId: connector.id, kind: "CATALOGUE", trigger: "MANUAL" });
  return { orgId: org.orgId, platformId: platform.id, connectorId: connector.id, actor, startSync, lastRun, activeCourses };
}

type World = Awaited<ReturnType<typeof world>>;

async function previewAndSave(w: World, selection: ImportSelection) {
  const preview = await previewSelection(w.platformId, selection);
  if (!preview.ok) throw new Error(preview.message);
  const saved = await saveImportSelection({
    platformId: w.platformId,
    selection,
    expectedImpact: preview.preview.fingerprint,
    actor: w.actor,
    startSync: w.startSync,
  });
  return { preview: preview.preview, saved };
}

describe("the import selection", () => {
  it("lists the organisation's programs by name from Coursera's programs listing", async () => {
    const w = await world(1);
    const listing = await listConnectorPrograms(w.platformId);
    expect(listing).toEqual({
      ok: true,
      programs: [
        expect.objectContaining({ id: PROGRAMS[2].id, name: "Cloud Academy" }),
        expect.objectContaining({ id: PROGRAMS[0].id, name: "Data Academy" }),
        expect.objectContaining({ id: PROGRAMS[1].id, name: "Leadership Academy" }),
      ],
    });
  });

  it("narrowing: the dry run's figures are what the sync then does; the left-out items are counted, not imported", async () => {
    const w = await world(1);
    const all = await w.activeCourses();
    expect(all).toHaveLength(90);
    const selection: ImportSelection = { programIds: [PROGRAMS[0].id], contentTypes: ["COURSE"], languages: [] };
    const expectedKept = all.filter((c) => isSelected(selection, c as Parameters<typeof isSelected>[1]));
    expect(expectedKept.length).toBeGreaterThan(3);
    expect(expectedKept.length).toBeLessThan(60);

    const { preview, saved } = await previewAndSave(w, selection);
    expect(preview).toMatchObject({ add: 0, retire: 90 - expectedKept.length, keep: expectedKept.length, held: false });
    expect(preview.samples.keep.length).toBe(Math.min(5, expectedKept.length));
    expect(saved).toMatchObject({ ok: true, changed: true, syncNotice: null });

    const run = await w.lastRun();
    expect(run).toMatchObject({ trigger: "SELECTION", status: "SUCCEEDED", retired: preview.retire, excluded: preview.retire, created: 0 });
    expect(run.fetched).toBe(run.unchanged + run.excluded + run.duplicates + run.invalid + run.updated);
    expect(run.importSelection).toEqual(selection);
    expect((await w.activeCourses()).map((c) => c.id).sort()).toEqual(expectedKept.map((c) => c.id).sort());

    const entry = await db.auditLog.findFirstOrThrow({ where: { platformId: w.platformId, action: "connector.import_selection_changed" } });
    expect(entry.details).toMatchObject({ to: selection, retire: preview.retire, keep: preview.keep, add: 0 });

    // Saving the same selection again changes nothing and starts no sync.
    const again = await previewAndSave(w, { ...selection, contentTypes: ["COURSE", "COURSE"] });
    expect(again.saved).toEqual({ ok: true, changed: false });
  });

  it("widening: the dry run counts what the last listing left out, and the sync restores exactly that", async () => {
    const w = await world(1);
    await previewAndSave(w, { programIds: [], contentTypes: [], languages: ["en"] });
    const englishOnly = await w.lastRun();
    expect(englishOnly.excluded).toBeGreaterThan(0);

    const { preview } = await previewAndSave(w, IMPORT_EVERYTHING);
    expect(preview).toMatchObject({ add: englishOnly.excluded, retire: 0, keep: 90 - englishOnly.excluded });
    expect(preview.samples.add.length).toBe(Math.min(5, englishOnly.excluded));
    const run = await w.lastRun();
    expect(run.restored + run.created).toBe(preview.add);
    expect(run.excluded).toBe(0);
    expect(run.importSelection).toBeNull();
    expect(await w.activeCourses()).toHaveLength(90);
  });

  it("a narrowing above the mass-drop threshold is held for an admin, with the selection named as the cause", async () => {
    const w = await world(0.2);
    const { preview } = await previewAndSave(w, { programIds: [PROGRAMS[1].id], contentTypes: [], languages: [] });
    expect(preview.held).toBe(true);
    const run = await w.lastRun();
    expect(run).toMatchObject({ status: "NEEDS_REVIEW", heldRetirements: preview.retire, retired: 0 });
    expect(run.problems.map((p) => p.message).join(" ")).toMatch(/The new import selection leaves out \d+ of 90 Coursera courses/);
    expect(await w.activeCourses()).toHaveLength(90);
  });

  it("the dry run tells which retirements learners rely on (a session not over, a course in progress), first", async () => {
    const w = await world(1);
    const courses = await w.activeCourses();
    const leaving = courses.filter((c) => c.contentType !== "COURSE");
    expect(leaving.length).toBeGreaterThan(2);
    const [inSession, inProgress] = leaving.sort((a, b) => b.title.localeCompare(a.title));
    const program = await db.program.create({ data: { platformId: w.platformId, name: "Onboarding" } });
    await db.programStep.create({ data: { programId: program.id, position: 1, courseId: inSession.id } });
    await db.programSession.create({ data: { programId: program.id, name: "Spring", endsAt: new Date(Date.now() + 86_400_000) } });
    const learner = await db.user.create({
      data: { platformId: w.platformId, email: `l-${randomUUID()}@selection.test`, name: "L", role: "LEARNER" },
    });
    await db.learnerCourseStat.create({
      data: { platformId: w.platformId, userId: learner.id, courseId: inProgress.id, status: "IN_PROGRESS" },
    });

    const preview = await previewSelection(w.platformId, { programIds: [], contentTypes: ["COURSE"], languages: [] });
    if (!preview.ok) throw new Error(preview.message);
    expect(preview.preview.retire).toBe(leaving.length);
    expect(preview.preview.retireInUse).toBe(2);
    expect(preview.preview.samples.retire.slice(0, 2)).toEqual(
      expect.arrayContaining([
        { title: inSession.title, inUse: true },
        { title: inProgress.title, inUse: true },
      ]),
    );
  });

  it("a save whose preview no longer holds changes nothing and returns the new figures", async () => {
    const w = await world(1);
    const saved = await saveImportSelection({
      platformId: w.platformId,
      selection: { programIds: [PROGRAMS[2].id], contentTypes: [], languages: [] },
      expectedImpact: "stale-fingerprint",
      actor: w.actor,
      startSync: w.startSync,
    });
    expect(saved).toMatchObject({ ok: false, code: "IMPACT_CHANGED", preview: { add: 0, retire: expect.any(Number) } });
    const connector = await db.courseraConnector.findUniqueOrThrow({ where: { id: w.connectorId } });
    expect(connector.importProgramIds).toEqual([]);
  });

  it("refuses values that are not choices, with a sentence", async () => {
    const w = await world(1);
    expect(await previewSelection(w.platformId, { programIds: [], contentTypes: ["PODCAST"], languages: [] })).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
      message: "Choose content types from the list.",
    });
    expect(await previewSelection(w.platformId, { programIds: [], contentTypes: [], languages: ["en; DROP TABLE"] })).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
    });
    expect(await previewSelection("no-such-platform", IMPORT_EVERYTHING)).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });
});

describe("the selection rule in TypeScript and in SQL", () => {
  it("answers the same for every item and selection", async () => {
    const languages = ["en", "fr", "EN", null];
    const items: { contentType: CourseraContentType; language: string | null; programIds: string[] }[] = [];
    for (const contentType of CONTENT_TYPES)
      for (const language of languages) for (const programIds of [[], ["a"], ["b", "c"]]) items.push({ contentType, language, programIds });
    const selections: ImportSelection[] = [
      IMPORT_EVERYTHING,
      { programIds: ["a"], contentTypes: [], languages: [] },
      { programIds: ["b", "a"], contentTypes: ["COURSE", "VIDEO"], languages: [] },
      { programIds: [], contentTypes: [], languages: ["en"] },
      { programIds: ["c"], contentTypes: ["OTHER"], languages: ["fr", "en"] },
    ];
    for (const selection of selections) {
      const rows = await db.$queryRaw<{ i: number; selected: boolean }[]>`
        SELECT x.i::int AS i, ${selectedSql(selection, "x")} AS selected
          FROM json_to_recordset(${JSON.stringify(items.map((item, i) => ({ i, ...item })))}::json)
            AS x(i int, "contentType" text, "language" text, "programIds" text[])
         ORDER BY x.i`;
      expect(
        rows.map((r) => r.selected),
        JSON.stringify(selection),
      ).toEqual(items.map((item) => isSelected(selection, item)));
    }
  });
});

/** A content as Coursera lists it (the fields the sync reads). */
function rawContent(contentId: string, name: string) {
  return {
    contentId,
    contentType: "Course",
    name,
    slug: contentId.toLowerCase(),
    description: `About ${name}`,
    languageCode: "en",
    partners: [{ name: "Dry Run University" }],
    programs: [{ programId: PROGRAMS[0].id, contentUrl: `https://www.coursera.org/programs/${PROGRAMS[0].slug}?productId=${contentId}` }],
  };
}

describe("the catalogue dry run", () => {
  it("says what the next sync will do (add, update, retire, keep) and writes nothing to the catalogue", async () => {
    const w = await world(1);
    const [changed, removed] = (await w.activeCourses()).slice(0, 2);
    const changedId = (await db.course.findUniqueOrThrow({ where: { id: changed.id } })).courseraContentId!;
    const removedId = (await db.course.findUniqueOrThrow({ where: { id: removed.id } })).courseraContentId!;
    sandbox.control.upsertContent(w.orgId, rawContent(`new-${tag}`, "A brand new course"));
    sandbox.control.upsertContent(w.orgId, rawContent(changedId, "A renamed course"));
    sandbox.control.removeContent(w.orgId, removedId);
    const snapshot = () =>
      db.course.findMany({
        where: { platformId: w.platformId },
        orderBy: { id: "asc" },
        select: { id: true, title: true, updatedAt: true, retiredAt: true },
      });
    const before = await snapshot();

    const opened = await openSyncRun({ connectorId: w.connectorId, kind: "CATALOGUE", mode: "DRY_RUN", trigger: "MANUAL" });
    if (!opened.ok) throw new Error(opened.message);
    await runSyncInThisProcess(catalogueSync as AnyPagedSync, { runId: opened.runId, connectorId: w.connectorId });
    const dry = await db.syncRun.findUniqueOrThrow({ where: { id: opened.runId }, include: { problems: true } });
    expect(dry).toMatchObject({ mode: "DRY_RUN", status: "SUCCEEDED", created: 1, updated: 1, retired: 1, restored: 0, unchanged: 88 });
    expect(dry.problems.map((p) => p.message)).toEqual([
      "A catalogue sync would retire 1 of 90 Coursera courses; 0 of them are in a program session or in progress for a learner. They would be retired.",
    ]);
    expect(await snapshot()).toEqual(before);
    expect(await db.catalogueSeenItem.count({ where: { runId: opened.runId } })).toBe(0);

    // The dry run is not the listing the import selection's dry run compares with: nothing it read is stored.
    const preview = await previewSelection(w.platformId, IMPORT_EVERYTHING);
    expect(preview).toMatchObject({ ok: true, preview: { add: 0, keep: 90 } });

    // The sync that follows does what the dry run said.
    await w.startSync({ connectorId: w.connectorId, kind: "CATALOGUE", trigger: "MANUAL" });
    expect(await w.lastRun()).toMatchObject({
      mode: "FULL",
      status: "SUCCEEDED",
      created: 1,
      updated: 1,
      retired: 1,
      restored: 0,
      unchanged: 88,
    });
  });
});
