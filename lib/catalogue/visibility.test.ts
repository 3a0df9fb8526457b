import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { listReceivingGroupIds, previewReceivingGroups, userSeesCourseraCourses, visibleGroupIdsSql } from "@/lib/catalogue/visibility";
import { db, disconnectDb } from "@/lib/db";

/**
 * Where Coursera courses are visible, on a tree with public and private groups
 * at several depths, and how that follows later changes to the tree and the
 * connector. Visibility is computed from the live tree, so no sync is needed
 * for any of these changes to show.
 */

afterAll(() => disconnectDb());
const uid = () => randomUUID().slice(0, 8);

/**
 *   Acme
 *   ├── Engineering            ← synchronized group
 *   │   ├── Platform           public
 *   │   │   ├── SRE            public
 *   │   │   │   └── On-call    public   (depth 3)
 *   │   │   └── Board          private
 *   │   │       └── Board Ops  public   (public, but under a private group)
 *   │   └── Security           private
 *   │       └── Red Team       public
 *   └── Sales                  public   (outside the synchronized subtree)
 *       └── EMEA               public
 */
async function tree() {
  const tag = uid();
  const platform = await db.platform.create({ data: { name: `Vis ${tag}`, slug: `vis-${tag}` } });
  const g = async (name: string, parentId: string | null, isPublic = true) =>
    (await db.group.create({ data: { platformId: platform.id, name, parentId, isPublic } })).id;
  const acme = await g("Acme", null);
  const engineering = await g("Engineering", acme);
  const platformTeam = await g("Platform", engineering);
  const sre = await g("SRE", platformTeam);
  const onCall = await g("On-call", sre);
  const board = await g("Board", platformTeam, false);
  const boardOps = await g("Board Ops", board);
  const security = await g("Security", engineering, false);
  const redTeam = await g("Red Team", security);
  const sales = await g("Sales", acme);
  const emea = await g("EMEA", sales);
  const connector = await db.courseraConnector.create({ data: { platformId: platform.id, enabled: true, syncGroupId: engineering } });
  const member = async (groupId: string) => {
    const user = await db.user.create({
      data: { platformId: platform.id, email: `${uid()}@vis-${tag}.test`, name: "Learner", role: "LEARNER" },
    });
    await db.groupMembership.create({ data: { groupId, userId: user.id } });
    return user.id;
  };
  const groups = { acme, engineering, platformTeam, sre, onCall, board, boardOps, security, redTeam, sales, emea };
  return { platformId: platform.id, connectorId: connector.id, groups, member, g };
}

const sorted = (ids: string[]) => [...ids].sort();

describe("Coursera course visibility", () => {
  it("reaches the synchronized group and its public subgroups at any depth, never through a private group", async () => {
    const t = await tree();
    const { engineering, platformTeam, sre, onCall } = t.groups;
    expect(sorted(await listReceivingGroupIds(t.platformId))).toEqual(sorted([engineering, platformTeam, sre, onCall]));

    const deep = await t.member(onCall);
    const underPrivate = await t.member(t.groups.boardOps);
    const inPrivate = await t.member(t.groups.security);
    const outside = await t.member(t.groups.emea);
    expect(await userSeesCourseraCourses(deep, t.platformId)).toBe(true);
    expect(await userSeesCourseraCourses(underPrivate, t.platformId)).toBe(false);
    expect(await userSeesCourseraCourses(inPrivate, t.platformId)).toBe(false);
    expect(await userSeesCourseraCourses(outside, t.platformId)).toBe(false);
  });

  it("a public subgroup created later receives them at once; a private one does not", async () => {
    const t = await tree();
    const incident = await t.g("Incident Review", t.groups.onCall);
    const secret = await t.g("Secret", t.groups.sre, false);
    const ids = await listReceivingGroupIds(t.platformId);
    expect(ids).toContain(incident);
    expect(ids).not.toContain(secret);
    expect(await userSeesCourseraCourses(await t.member(incident), t.platformId)).toBe(true);
  });

  it("making a group private removes them from it and from everything below it; making it public again brings them back", async () => {
    const t = await tree();
    const learner = await t.member(t.groups.onCall);
    await db.group.update({ where: { id: t.groups.platformTeam }, data: { isPublic: false } });
    expect(await listReceivingGroupIds(t.platformId)).toEqual([t.groups.engineering]);
    expect(await userSeesCourseraCourses(learner, t.platformId)).toBe(false);

    await db.group.update({ where: { id: t.groups.platformTeam }, data: { isPublic: true } });
    expect(await userSeesCourseraCourses(learner, t.platformId)).toBe(true);
  });

  it("a private group that becomes public opens its public subtree", async () => {
    const t = await tree();
    await db.group.update({ where: { id: t.groups.security }, data: { isPublic: true } });
    const ids = await listReceivingGroupIds(t.platformId);
    expect(ids).toEqual(expect.arrayContaining([t.groups.security, t.groups.redTeam]));
  });

  it("changing the synchronized group moves them", async () => {
    const t = await tree();
    const engineer = await t.member(t.groups.sre);
    const seller = await t.member(t.groups.emea);
    await db.courseraConnector.update({ where: { id: t.connectorId }, data: { syncGroupId: t.groups.sales } });
    expect(sorted(await listReceivingGroupIds(t.platformId))).toEqual(sorted([t.groups.sales, t.groups.emea]));
    expect(await userSeesCourseraCourses(engineer, t.platformId)).toBe(false);
    expect(await userSeesCourseraCourses(seller, t.platformId)).toBe(true);
  });

  it("moving a subgroup under a private group hides them there", async () => {
    const t = await tree();
    const learner = await t.member(t.groups.onCall);
    await db.group.update({ where: { id: t.groups.sre }, data: { parentId: t.groups.board } });
    expect(await userSeesCourseraCourses(learner, t.platformId)).toBe(false);
  });

  it("a disabled connector hides them everywhere without deleting anything; enabling shows them again", async () => {
    const t = await tree();
    const learner = await t.member(t.groups.engineering);
    const course = await db.course.create({
      data: { platformId: t.platformId, source: "COURSERA", courseraContentId: `x-${uid()}`, title: "Kept" },
    });
    await db.courseraConnector.update({ where: { id: t.connectorId }, data: { enabled: false } });
    expect(await listReceivingGroupIds(t.platformId)).toEqual([]);
    expect(await userSeesCourseraCourses(learner, t.platformId)).toBe(false);
    expect(await db.course.findUnique({ where: { id: course.id } })).not.toBeNull();

    await db.courseraConnector.update({ where: { id: t.connectorId }, data: { enabled: true } });
    expect(await userSeesCourseraCourses(learner, t.platformId)).toBe(true);
  });

  it("never reaches another platform's groups, and the SQL composes into course queries", async () => {
    const a = await tree();
    const b = await tree();
    const idsA = await listReceivingGroupIds(a.platformId);
    expect(idsA.some((id) => Object.values(b.groups).includes(id))).toBe(false);
    const rows = await db.$queryRaw<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM "Group" WHERE "id" IN (${visibleGroupIdsSql(a.platformId)})`;
    expect(rows[0].n).toBe(4);
  });

  it("previews the receiving groups of a candidate synchronized group with their depth", async () => {
    const t = await tree();
    const preview = await previewReceivingGroups(t.platformId, t.groups.engineering);
    expect(preview.map((p) => [p.name, p.depth])).toEqual([
      ["Engineering", 0],
      ["Platform", 1],
      ["SRE", 2],
      ["On-call", 3],
    ]);
  });
});
