import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

/**
 * The central refusal of server actions (gated) audits a signed-in person's refused attempt on their
 * own platform's log, and only there. The one mock is next-auth's session, as in the permissions matrix.
 */

const session = vi.hoisted(() => ({ current: null as null | { user: { id: string } } }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), getServerSession: async () => session.current }));

const { db, disconnectDb } = await import("@/lib/db");
const { gated } = await import("@/lib/auth/gate");

const tag = randomUUID().slice(0, 8);
let platformA: string;
let platformB: string;
const users: Record<"admin" | "learner" | "csm", string> = { admin: "", learner: "", csm: "" };

beforeAll(async () => {
  platformA = (await db.platform.create({ data: { name: `Gate A ${tag}`, slug: `gate-a-${tag}` } })).id;
  platformB = (await db.platform.create({ data: { name: `Gate B ${tag}`, slug: `gate-b-${tag}` } })).id;
  for (const [key, role, platformId] of [
    ["admin", "ADMIN", platformA],
    ["learner", "LEARNER", platformA],
    ["csm", "CSM", null],
  ] as const) {
    users[key] = (await db.user.create({ data: { email: `${key}-${tag}@gate.test`, name: key, role, platformId } })).id;
  }
});

afterAll(async () => {
  await disconnectDb();
});

const denials = (platformId: string) =>
  db.auditLog.findMany({ where: { platformId, action: "access.denied" }, orderBy: { createdAt: "asc" } });

describe("gated refusals", () => {
  it("audits a learner's admin action on their platform, and an admin reaching into another platform on their own log only", async () => {
    let ran = 0;
    const run = async () => ++ran;

    session.current = { user: { id: users.learner } };
    expect(await gated("connector.enable", platformA, run)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    session.current = { user: { id: users.admin } };
    expect(await gated("skills.change", platformB, run)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    // Allowed: runs, nothing audited by the gate.
    expect(await gated("skills.change", platformA, run)).toBe(1);
    // Signed out, and a malformed platform id: refused without an entry (no one to name, nothing to scope).
    session.current = null;
    expect(await gated("skills.change", platformA, run)).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    session.current = { user: { id: users.admin } };
    expect(await gated("skills.change", "../x", run)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(ran).toBe(1);

    const onA = await denials(platformA);
    expect(onA.map((e) => [e.actorId, e.targetId, e.details])).toEqual([
      [users.learner, platformA, { permission: "connector.enable", role: "LEARNER", target: "this platform" }],
      [users.admin, null, { permission: "skills.change", role: "ADMIN", target: "another platform" }],
    ]);
    // Platform B's admins never read a stranger's address in their log.
    expect(await denials(platformB)).toEqual([]);
  });
});
