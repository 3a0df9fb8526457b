import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { computeGroupMoveImpact, getLastGroupMove, GROUP_MOVE_UNDO_HOURS } from "@/lib/connectors/queries";
import { moveSyncGroup, undoImpact, undoSyncGroupMove } from "@/lib/connectors/mutations";
import { db, disconnectDb } from "@/lib/db";

/**
 * Moving the synchronized group: the impact summary (groups gaining and losing
 * the courses, learners losing access and those of them in the middle of a
 * Coursera course), the move confirmed on that summary, its undo, their audit
 * entries, and who may do either — against the real database. The server
 * actions run as Next.js runs them, with the caller's session handed to
 * next-auth (the one mock, as in app/permissions-matrix.test.ts).
 */

const session = vi.hoisted(() => ({ current: null as null | { user: { id: string } } }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), getServerSession: async () => session.current }));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

afterAll(() => disconnectDb());

/**
 *   Root ─┬─ Sales ─┬─ Sales EMEA
 *         │         └─ Sales secret (private) ── Under secret
 *         ├─ Support ── Support L2
 *         └─ Board (private)
 * The connector starts on Sales: Sales and Sales EMEA receive the courses.
 */
async function world() {
  const tag = randomUUID().slice(0, 8);
  const platform = await db.platform.create({ data: { name: `Move ${tag}`, slug: `move-${tag}` } });
  const g = async (name: string, parentId: string | null, isPublic = true) =>
    (await db.group.create({ data: { platformId: platform.id, name, parentId, isPublic } })).id;
  const root = await g("Root", null);
  const sales = await g("Sales", root);
  const salesEmea = await g("Sales EMEA", sales);
  const secret = await g("Sales secret", sales, false);
  const underSecret = await g("Under secret", secret);
  const support = await g("Support", root);
  const supportL2 = await g("Support L2", support);
  const board = await g("Board", root, false);
  await db.courseraConnector.create({ data: { platformId: platform.id, enabled: true, syncGroupId: sales } });
  const coursera = await db.course.create({
    data: { platformId: platform.id, source: "COURSERA", courseraContentId: `c-${tag}`, title: "Coursera course" },
  });
  const coursera2 = await db.course.create({
    data: { platformId: platform.id, source: "COURSERA", courseraContentId: `c2-${tag}`, title: "Another Coursera course" },
  });
  const native = await db.course.create({ data: { platformId: platform.id, source: "NATIVE", title: "Native course" } });
  const person = async (name: string, role: "LEARNER" | "ADMIN", groups: string[]) => {
    const u = await db.user.create({ data: { platformId: platform.id, email: `${name}-${tag}@move.test`, name, role } });
    for (const groupId of groups) await db.groupMembership.create({ data: { groupId, userId: u.id } });
    return u.id;
  };
  const stat = (userId: string, courseId: string, status: "NOT_STARTED" | "IN_PROGRESS" | "COMPLETED", progressPercent: number) =>
    db.learnerCourseStat.create({ data: { platformId: platform.id, userId, courseId, status, progressPercent } });
  // Loses access, in the middle of a Coursera course.
  const inProgress = await person("in-progress", "LEARNER", [salesEmea]);
  await stat(inProgress, coursera.id, "IN_PROGRESS", 40);
  await stat(inProgress, coursera2.id, "COMPLETED", 100);
  // Loses access, every Coursera course completed or not started.
  const done = await person("done", "LEARNER", [sales]);
  await stat(done, coursera.id, "COMPLETED", 100);
  await stat(done, coursera2.id, "NOT_STARTED", 0);
  // Loses access; in progress on a native course only (not a Coursera course).
  const nativeOnly = await person("native-only", "LEARNER", [sales]);
  await stat(nativeOnly, native.id, "IN_PROGRESS", 50);
  // In both: keeps access wherever it moves between Sales and Support.
  const both = await person("both", "LEARNER", [sales, support]);
  await stat(both, coursera.id, "IN_PROGRESS", 10);
  // Gains access when the group moves to Support.
  const supportOnly = await person("support-only", "LEARNER", [supportL2]);
  // Under a private branch: never receives the courses.
  await person("under-secret", "LEARNER", [underSecret]);
  // Admins are not learners: not counted.
  const admin = await person("admin", "ADMIN", [sales]);
  return {
    tag,
    platformId: platform.id,
    groups: { root, sales, salesEmea, secret, underSecret, support, supportL2, board },
    users: { inProgress, done, nativeOnly, both, supportOnly, admin },
  };
}

const names = (groups: { name: string }[]) => groups.map((g) => g.name);

describe("computeGroupMoveImpact", () => {
  it("names the groups that gain and lose the courses and counts the learners who lose access and those in progress", async () => {
    const w = await world();
    const impact = await computeGroupMoveImpact(w.platformId, w.groups.support);
    expect(impact).toMatchObject({
      fromGroup: { id: w.groups.sales, name: "Sales" },
      toGroup: { id: w.groups.support, name: "Support" },
      enabled: true,
      learnersLosing: 3,
      learnersLosingInProgress: 1,
      learnersGaining: 1,
    });
    expect(names(impact!.gaining)).toEqual(["Support", "Support L2"]);
    // The private subgroup and everything below it never received them, so they lose nothing.
    expect(names(impact!.losing)).toEqual(["Sales", "Sales EMEA"]);
  });

  it("moving up to the root gains every public branch and loses nothing; private branches stay out", async () => {
    const w = await world();
    const impact = (await computeGroupMoveImpact(w.platformId, w.groups.root))!;
    expect(names(impact.gaining)).toEqual(["Root", "Support", "Support L2"]);
    expect(impact.losing).toEqual([]);
    expect(impact).toMatchObject({ learnersLosing: 0, learnersLosingInProgress: 0, learnersGaining: 1 });
  });

  it("moving down to a subgroup loses the rest of the branch", async () => {
    const w = await world();
    const impact = (await computeGroupMoveImpact(w.platformId, w.groups.salesEmea))!;
    expect(impact.gaining).toEqual([]);
    expect(names(impact.losing)).toEqual(["Sales"]);
    // done, native-only and both were in Sales only (both keeps nothing from Support: Support does not receive).
    expect(impact).toMatchObject({ learnersLosing: 3, learnersLosingInProgress: 1, learnersGaining: 0 });
  });

  it("is null for another platform's group or an unknown id, and changes nothing for a disabled connector", async () => {
    const a = await world();
    const b = await world();
    expect(await computeGroupMoveImpact(a.platformId, b.groups.support)).toBeNull();
    expect(await computeGroupMoveImpact(a.platformId, "no-such-group")).toBeNull();
    await db.courseraConnector.update({ where: { platformId: a.platformId }, data: { enabled: false } });
    expect(await computeGroupMoveImpact(a.platformId, a.groups.support)).toMatchObject({
      enabled: false,
      gaining: [],
      losing: [],
      learnersLosing: 0,
      learnersGaining: 0,
    });
  });

  it("has a fingerprint that changes with the tree and the memberships, and only then", async () => {
    const w = await world();
    const first = (await computeGroupMoveImpact(w.platformId, w.groups.support))!;
    expect((await computeGroupMoveImpact(w.platformId, w.groups.support))!.fingerprint).toBe(first.fingerprint);
    await db.group.update({ where: { id: w.groups.supportL2 }, data: { isPublic: false } });
    const privateL2 = (await computeGroupMoveImpact(w.platformId, w.groups.support))!;
    expect(names(privateL2.gaining)).toEqual(["Support"]);
    expect(privateL2.learnersGaining).toBe(0);
    expect(privateL2.fingerprint).not.toBe(first.fingerprint);
    await db.group.update({ where: { id: w.groups.supportL2 }, data: { isPublic: true } });
    expect((await computeGroupMoveImpact(w.platformId, w.groups.support))!.fingerprint).toBe(first.fingerprint);
    await db.groupMembership.create({ data: { groupId: w.groups.support, userId: w.users.done } });
    expect((await computeGroupMoveImpact(w.platformId, w.groups.support))!.fingerprint).not.toBe(first.fingerprint);
  });

  it("stays one quick statement on a platform with thousands of learners", async () => {
    const w = await world();
    const ids = Array.from({ length: 3000 }, (_, i) => `mv${w.tag}${i}`);
    await db.user.createMany({
      data: ids.map((id, i) => ({ id, platformId: w.platformId, email: `${id}@move.test`, name: `L${i}`, role: "LEARNER" as const })),
    });
    await db.groupMembership.createMany({
      data: ids.map((userId, i) => ({ userId, groupId: i % 2 ? w.groups.salesEmea : w.groups.supportL2 })),
    });
    const started = performance.now();
    const impact = (await computeGroupMoveImpact(w.platformId, w.groups.support))!;
    const elapsed = performance.now() - started;
    expect(impact.learnersLosing).toBe(3 + 1500);
    expect(impact.learnersGaining).toBe(1 + 1500);
    expect(elapsed).toBeLessThan(1500);
  });
});

describe("moving the synchronized group and undoing the move", () => {
  const actor = { id: "csm-actor", email: "csm@move.test" };

  it("moves only on the impact reviewed, audits the move with its counts, and undoes it once", async () => {
    const w = await world();
    const reviewed = (await computeGroupMoveImpact(w.platformId, w.groups.support))!;
    // The tree changes between the review and the confirmation: nothing moves, and the new impact comes back.
    await db.group.update({ where: { id: w.groups.supportL2 }, data: { isPublic: false } });
    const refused = await moveSyncGroup({
      platformId: w.platformId,
      syncGroupId: w.groups.support,
      actor,
      expectedImpact: reviewed.fingerprint,
    });
    expect(refused).toMatchObject({ ok: false, code: "IMPACT_CHANGED", impact: { gaining: [{ name: "Support" }], learnersGaining: 0 } });
    expect((await db.courseraConnector.findUniqueOrThrow({ where: { platformId: w.platformId } })).syncGroupId).toBe(w.groups.sales);
    expect(await db.auditLog.count({ where: { platformId: w.platformId } })).toBe(0);

    const current = !refused.ok && "impact" in refused ? refused.impact : null;
    const moved = await moveSyncGroup({
      platformId: w.platformId,
      syncGroupId: w.groups.support,
      actor,
      expectedImpact: current!.fingerprint,
    });
    expect(moved).toMatchObject({ ok: true, changed: true });
    expect((await db.courseraConnector.findUniqueOrThrow({ where: { platformId: w.platformId } })).syncGroupId).toBe(w.groups.support);
    const moveEntry = await db.auditLog.findFirstOrThrow({ where: { platformId: w.platformId, action: "connector.sync_group_changed" } });
    expect(moveEntry).toMatchObject({ actorEmail: actor.email, targetType: "Group", targetId: w.groups.support });
    expect(moveEntry.details).toEqual({
      fromGroupId: w.groups.sales,
      fromGroupName: "Sales",
      toGroupId: w.groups.support,
      groupName: "Support",
      groupsGaining: 1,
      groupsLosing: 2,
      learnersLosing: 3,
      learnersLosingInProgress: 1,
      learnersGaining: 0,
    });
    expect(moved.ok && moved.changed && moved.auditId).toBe(moveEntry.id);

    // The undo is offered on the last move, for GROUP_MOVE_UNDO_HOURS.
    const last = (await getLastGroupMove(w.platformId))!;
    expect(last).toMatchObject({ auditId: moveEntry.id, fromGroup: { name: "Sales" }, toGroup: { name: "Support" }, reason: null });
    expect(last.undoUntil!.getTime() - moveEntry.createdAt.getTime()).toBe(GROUP_MOVE_UNDO_HOURS * 3_600_000);
    const later = new Date(moveEntry.createdAt.getTime() + (GROUP_MOVE_UNDO_HOURS + 1) * 3_600_000);
    expect(await getLastGroupMove(w.platformId, later)).toMatchObject({ undoUntil: null, reason: expect.stringContaining("24 hours") });

    const back = await undoImpact(w.platformId, moveEntry.id);
    expect(back).toMatchObject({ ok: true, impact: { toGroup: { name: "Sales" }, learnersLosing: 0, learnersGaining: 3 } });
    expect(
      await undoSyncGroupMove({ platformId: w.platformId, auditId: moveEntry.id, actor, expectedImpact: "stale-review" }),
    ).toMatchObject({
      ok: false,
      code: "IMPACT_CHANGED",
    });
    const undone = await undoSyncGroupMove({
      platformId: w.platformId,
      auditId: moveEntry.id,
      actor,
      expectedImpact: back.ok ? back.impact.fingerprint : "",
    });
    expect(undone).toMatchObject({ ok: true, changed: true });
    expect((await db.courseraConnector.findUniqueOrThrow({ where: { platformId: w.platformId } })).syncGroupId).toBe(w.groups.sales);
    const undoEntry = await db.auditLog.findFirstOrThrow({
      where: { platformId: w.platformId, action: "connector.sync_group_move_undone" },
    });
    expect(undoEntry).toMatchObject({ actorEmail: actor.email, targetType: "AuditLog", targetId: moveEntry.id });
    expect(undoEntry.details).toMatchObject({ fromGroupName: "Support", groupName: "Sales", learnersGaining: 3, learnersLosing: 0 });

    // Once: the last change is now the undo.
    expect(await getLastGroupMove(w.platformId)).toBeNull();
    expect(await undoSyncGroupMove({ platformId: w.platformId, auditId: moveEntry.id, actor })).toMatchObject({
      ok: false,
      code: "NOT_UNDOABLE",
    });
    expect(await db.auditLog.count({ where: { platformId: w.platformId } })).toBe(2);
  });

  it("offers the undo of the last move only: not after a later move, not past its window, not on another group", async () => {
    const w = await world();
    const first = await moveSyncGroup({ platformId: w.platformId, syncGroupId: w.groups.support, actor });
    const second = await moveSyncGroup({ platformId: w.platformId, syncGroupId: w.groups.root, actor });
    const firstId = first.ok && first.changed ? first.auditId : "";
    const secondId = second.ok && second.changed ? second.auditId : "";
    expect(await undoSyncGroupMove({ platformId: w.platformId, auditId: firstId, actor })).toMatchObject({
      ok: false,
      code: "NOT_UNDOABLE",
    });

    // Past the window.
    await db.auditLog.update({
      where: { id: secondId },
      data: { createdAt: new Date(Date.now() - (GROUP_MOVE_UNDO_HOURS + 1) * 3_600_000) },
    });
    expect(await undoSyncGroupMove({ platformId: w.platformId, auditId: secondId, actor })).toMatchObject({
      ok: false,
      code: "NOT_UNDOABLE",
    });
    await db.auditLog.update({ where: { id: secondId }, data: { createdAt: new Date() } });

    // The connector left the group of the move some other way (enabled elsewhere): nothing to undo.
    await db.courseraConnector.update({ where: { platformId: w.platformId }, data: { syncGroupId: w.groups.board } });
    expect(await getLastGroupMove(w.platformId)).toMatchObject({ undoUntil: null, reason: "The synchronized group has changed since." });
    expect(await undoSyncGroupMove({ platformId: w.platformId, auditId: secondId, actor })).toMatchObject({
      ok: false,
      code: "NOT_UNDOABLE",
    });
    expect((await db.courseraConnector.findUniqueOrThrow({ where: { platformId: w.platformId } })).syncGroupId).toBe(w.groups.board);
  });
});

describe("the move and undo actions", () => {
  const actions = () => import("@/app/(app)/p/[platformId]/connector/actions");
  const route = () => import("@/app/api/platforms/[platformId]/groups/move-impact/route");
  const asUser = (id: string | null) => (session.current = id ? { user: { id } } : null);
  const impactOf = async (platformId: string, query: string) => {
    const response = await (await route()).GET(new Request(`http://localhost/?${query}`), { params: Promise.resolve({ platformId }) });
    return { status: response.status, body: await response.json() };
  };

  it("let customer success review, move and undo; refuse the platform's admin, another platform's admin and a learner", async () => {
    const w = await world();
    const other = await world();
    const csm = (await db.user.create({ data: { email: `csm-${w.tag}@move.test`, name: "CSM", role: "CSM" } })).id;
    const learner = w.users.inProgress;
    const otherAdmin = other.users.admin;

    asUser(csm);
    const review = await impactOf(w.platformId, `groupId=${w.groups.support}`);
    expect(review.status).toBe(200);
    expect(review.body.impact).toMatchObject({ learnersLosing: 3, learnersLosingInProgress: 1 });

    for (const caller of [w.users.admin, otherAdmin, learner, null]) {
      asUser(caller);
      expect((await impactOf(w.platformId, `groupId=${w.groups.support}`)).status).toBeGreaterThanOrEqual(401);
      const refused = await (
        await actions()
      ).moveSyncGroupAction(w.platformId, { groupId: w.groups.support, impact: review.body.impact.fingerprint });
      expect(refused).toMatchObject({ ok: false, code: caller ? "FORBIDDEN" : "UNAUTHENTICATED" });
    }
    expect((await db.courseraConnector.findUniqueOrThrow({ where: { platformId: w.platformId } })).syncGroupId).toBe(w.groups.sales);

    asUser(csm);
    // Without a reviewed impact, nothing moves.
    expect(await (await actions()).moveSyncGroupAction(w.platformId, { groupId: w.groups.support, impact: "" })).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
    });
    const moved = await (
      await actions()
    ).moveSyncGroupAction(w.platformId, { groupId: w.groups.support, impact: review.body.impact.fingerprint });
    expect(moved).toMatchObject({ ok: true, changed: true });
    const auditId = (moved as { auditId: string }).auditId;

    // Undo: the same gate.
    const undoReview = await impactOf(w.platformId, `undo=${auditId}`);
    expect(undoReview.status).toBe(200);
    for (const caller of [w.users.admin, otherAdmin, learner]) {
      asUser(caller);
      expect((await impactOf(w.platformId, `undo=${auditId}`)).status).toBe(403);
      expect(
        await (await actions()).undoSyncGroupMoveAction(w.platformId, { auditId, impact: undoReview.body.impact.fingerprint }),
      ).toMatchObject({ ok: false, code: "FORBIDDEN" });
    }
    // Another platform's CSM-visible move cannot be undone through this platform's page.
    asUser(csm);
    expect(
      await (await actions()).undoSyncGroupMoveAction(other.platformId, { auditId, impact: undoReview.body.impact.fingerprint }),
    ).toMatchObject({
      ok: false,
      code: "NOT_UNDOABLE",
    });
    expect((await db.courseraConnector.findUniqueOrThrow({ where: { platformId: w.platformId } })).syncGroupId).toBe(w.groups.support);

    const undone = await (await actions()).undoSyncGroupMoveAction(w.platformId, { auditId, impact: undoReview.body.impact.fingerprint });
    expect(undone).toMatchObject({ ok: true, changed: true });
    expect((await db.courseraConnector.findUniqueOrThrow({ where: { platformId: w.platformId } })).syncGroupId).toBe(w.groups.sales);
    const entries = await db.auditLog.findMany({ where: { platformId: w.platformId }, orderBy: { createdAt: "asc" } });
    expect(entries.filter((e) => e.action !== "access.denied").map((e) => [e.action, e.actorId])).toEqual([
      ["connector.sync_group_changed", csm],
      ["connector.sync_group_move_undone", csm],
    ]);
    // The refusals of this platform's people (its admin and learner, to move then to undo) are on its log too.
    expect(
      entries
        .filter((e) => e.action === "access.denied")
        .map((e) => e.actorId)
        .sort(),
    ).toEqual([w.users.admin, w.users.admin, learner, learner].sort());
    // Nothing of the move reaches another platform's log (its admin's own refusals are on it).
    expect(await db.auditLog.count({ where: { platformId: other.platformId, action: { not: "access.denied" } } })).toBe(0);
  });
});
