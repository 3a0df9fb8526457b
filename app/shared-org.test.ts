import type { AnyPagedSync } from "@/lib/sync/pipeline";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startCourseraSandbox, type CourseraSandbox } from "@/sandbox/server";

/**
 * One Coursera organisation, one platform (issue 14 #10): another customer's
 * admin who types the organisation id of a platform that already uses it can
 * neither save it nor, through a statistics sync, see that platform's learners
 * (names, emails) in their unmatched inbox. Only a CSM may allow a deliberate
 * second connection, through the connector form, and it is audited on both
 * platforms. A second connection that exists already (saved before this
 * check) does not sync either.
 *
 * Mocks: next-auth's getServerSession and next/cache, as in the permissions matrix.
 */

const session = vi.hoisted(() => ({ current: null as null | { user: { id: string } } }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), getServerSession: async () => session.current }));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

let sandbox: CourseraSandbox;
const tag = randomUUID().slice(0, 8);
const ORG = { orgId: `shared-${tag}`, clientId: `client-${tag}`, clientSecret: `secret-${tag}-abcd` };
let w: { a: string; b: string; adminA: string; adminB: string; csm: string };

beforeAll(async () => {
  sandbox = await startCourseraSandbox({ port: 0, includeDemoOrg: false });
  (await import("@/lib/connectors/coursera-client")).setCourseraClientOverrides({ baseUrl: sandbox.url, requestsPerSecond: 0 });
  sandbox.control.addOrg({
    ...ORG,
    catalogueSize: 4,
    programs: 1,
    learners: [
      { email: `ada.${tag}@customer-a.test`, externalId: null, fullName: "Ada of Customer A" },
      { email: `bob.${tag}@customer-a.test`, externalId: null, fullName: "Bob of Customer A" },
    ],
    enrollmentCount: 4,
  });
  const { db } = await import("@/lib/db");
  const platform = async (name: string) => {
    const p = await db.platform.create({ data: { name: `${name} ${tag}`, slug: `${name.toLowerCase()}-${tag}` } });
    const g = await db.group.create({ data: { platformId: p.id, name: "Everyone", isPublic: true } });
    await db.courseraConnector.create({ data: { platformId: p.id, enabled: true, syncGroupId: g.id } });
    return p.id;
  };
  const a = await platform("Customer-A");
  const b = await platform("Customer-B");
  const user = async (role: "ADMIN" | "CSM", platformId: string | null, name: string) =>
    (await db.user.create({ data: { email: `${name}-${tag}@shared.test`, name, role, platformId } })).id;
  w = { a, b, adminA: await user("ADMIN", a, "admin-a"), adminB: await user("ADMIN", b, "admin-b"), csm: await user("CSM", null, "csm") };
});

afterAll(async () => {
  (await import("@/lib/connectors/coursera-client")).setCourseraClientOverrides({});
  await sandbox?.close();
  await (await import("@/lib/db")).disconnectDb();
});

const actions = () => import("@/app/(app)/p/[platformId]/connector/actions");
const connectorOf = async (platformId: string) =>
  (await import("@/lib/db")).db.courseraConnector.findUniqueOrThrow({ where: { platformId } });

/** A statistics sync of the platform's connector, run step by step in this process. */
async function runStatisticsSync(platformId: string) {
  const { db } = await import("@/lib/db");
  const { openSyncRun } = await import("@/lib/sync/runs");
  const { statisticsSync } = await import("@/lib/statistics/sync");
  const { runSyncInThisProcess } = await import("@/lib/sync/run-in-process.fixtures");
  const connector = await connectorOf(platformId);
  const opened = await openSyncRun({ connectorId: connector.id, kind: "STATISTICS", trigger: "MANUAL" });
  if (!opened.ok) return { opened: false as const, message: opened.message };
  try {
    await runSyncInThisProcess(statisticsSync as AnyPagedSync, { runId: opened.runId, connectorId: connector.id });
    return { opened: true as const, failed: null };
  } catch (error) {
    return { opened: true as const, failed: error as Error & { code?: string } };
  } finally {
    await db.syncRun.updateMany({ where: { id: opened.runId, status: { in: ["QUEUED", "RUNNING"] } }, data: { status: "FAILED" } });
  }
}

const inboxNames = async (platformId: string) =>
  (await (await import("@/lib/db")).db.unmatchedLearnerRecord.findMany({ where: { platformId }, select: { fullName: true, email: true } }))
    .map((r) => `${r.fullName} <${r.email}>`)
    .sort();

describe("a Coursera organisation belongs to one platform", () => {
  it("the first platform connects it", async () => {
    session.current = { user: { id: w.adminA } };
    const saved = await (await actions()).saveCredentialsAction(w.a, ORG);
    expect(saved).toMatchObject({ ok: true, changed: true });
    expect(await runStatisticsSync(w.a)).toMatchObject({ opened: true, failed: null });
  });

  it("another platform's admin can neither test, nor save it, nor allow it themselves", async () => {
    session.current = { user: { id: w.adminB } };
    for (const orgId of [ORG.orgId, ORG.orgId.toUpperCase()]) {
      const saved = await (await actions()).saveCredentialsAction(w.b, { ...ORG, orgId });
      expect(saved).toMatchObject({ ok: false, code: "ORG_IN_USE" });
      expect((saved as { message: string }).message).toMatch(/already connected to another platform/);
      // Nothing of the other customer is named to them.
      expect(JSON.stringify(saved)).not.toContain("Customer-A");
      const tested = await (await actions()).testConnectionAction(w.b, { ...ORG, orgId });
      expect(tested).toMatchObject({ ok: false, code: "ORG_IN_USE" });
    }
    const forced = await (await actions()).saveCredentialsAction(w.b, { ...ORG, allowSharedOrg: true } as never);
    expect(forced).toMatchObject({ ok: false });
    expect((await connectorOf(w.b)).orgId).toBeNull();
    // …so no statistics sync can bring the first customer's learners into their inbox.
    expect(await runStatisticsSync(w.b)).toMatchObject({ opened: false });
    expect(await inboxNames(w.b)).toEqual([]);
  });

  it("a second connection saved before this check does not sync the first customer's learners", async () => {
    const { db } = await import("@/lib/db");
    const { encryptSecret } = await import("@/lib/crypto/secrets");
    await db.courseraConnector.update({
      where: { platformId: w.b },
      data: {
        orgId: ORG.orgId,
        clientId: ORG.clientId,
        clientSecretEncrypted: encryptSecret(ORG.clientSecret),
        credentialsUpdatedAt: new Date(),
      },
    });
    const sync = await runStatisticsSync(w.b);
    expect(sync.opened && sync.failed?.message).toMatch(/connected to another platform/);
    expect(await inboxNames(w.b)).toEqual([]);
    // The platform that had it first still syncs.
    expect(await runStatisticsSync(w.a)).toMatchObject({ opened: true, failed: null });
    await db.courseraConnector.update({
      where: { platformId: w.b },
      data: { orgId: null, clientId: null, clientSecretEncrypted: null, credentialsUpdatedAt: null },
    });
  });

  it("a CSM may allow a deliberate second connection; it is audited on both platforms", async () => {
    session.current = { user: { id: w.csm } };
    const refused = await (await actions()).saveCredentialsAction(w.b, ORG);
    expect(refused).toMatchObject({ ok: false, code: "ORG_IN_USE", canAllowSharedOrg: true });
    const saved = await (await actions()).saveCredentialsAction(w.b, { ...ORG, allowSharedOrg: true });
    expect(saved).toMatchObject({ ok: true, changed: true });
    expect(await connectorOf(w.b)).toMatchObject({ orgId: ORG.orgId, sharedOrgAllowedFor: ORG.orgId, sharedOrgAllowedById: w.csm });
    const { db } = await import("@/lib/db");
    for (const platformId of [w.a, w.b]) {
      const entry = await db.auditLog.findFirst({ where: { platformId, action: "credentials.shared_org_allowed" } });
      expect(entry, platformId).toMatchObject({ actorId: w.csm });
    }
    // Deliberately shared: the second platform now syncs.
    expect(await runStatisticsSync(w.b)).toMatchObject({ opened: true, failed: null });
  });
});
