import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moveSyncGroup, disableConnector, enableConnector, saveCredentials } from "@/lib/connectors/mutations";
import { credentialsSchema } from "@/lib/connectors/schema";
import { requestSync } from "@/inngest/dispatch";
import { setCourseraClientOverrides, type CourseraClientOverrides } from "@/lib/connectors/coursera-client";
import { testConnection } from "@/lib/connectors/test-connection";
import { createMemoryTokenCache } from "@/lib/coursera/client";
import { startCourseraSandbox, type CourseraSandbox } from "@/sandbox/server";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db, disconnectDb } from "@/lib/db";

/**
 * Connector setup and credentials against the real database and the Coursera
 * sandbox over HTTP. Each test has its own platform (and sandbox org when it
 * saves credentials).
 */

let sandbox: CourseraSandbox;
let client: CourseraClientOverrides;
const uid = () => randomUUID().slice(0, 8);

beforeAll(async () => {
  sandbox = await startCourseraSandbox({ port: 0 });
  client = {
    baseUrl: sandbox.url,
    requestsPerSecond: 0,
    maxAttempts: 1,
    backoffBaseMs: 1,
    backoffCapMs: 2,
    tokenCache: createMemoryTokenCache(),
    testConnectionBudget: { maxAttempts: 1, timeoutMs: 2000 },
  };
  setCourseraClientOverrides(client);
});

afterAll(async () => {
  setCourseraClientOverrides({});
  await sandbox?.close();
  await disconnectDb();
});

async function platform() {
  const tag = uid();
  const p = await db.platform.create({ data: { name: `Conn ${tag}`, slug: `conn-${tag}` } });
  const root = await db.group.create({ data: { platformId: p.id, name: "Root" } });
  const nested = await db.group.create({ data: { platformId: p.id, name: "Nested", parentId: root.id } });
  const admin = await db.user.create({ data: { platformId: p.id, email: `admin-${tag}@conn.test`, name: "Admin", role: "ADMIN" } });
  const org = { orgId: `org-${tag}`, clientId: `client-${tag}`, clientSecret: `secret-${tag}-abcd` };
  sandbox.control.addOrg({ ...org, catalogueSize: 5, programs: 1, enrollmentCount: 0 });
  return { tag, platformId: p.id, rootId: root.id, nestedId: nested.id, actor: { id: admin.id, email: admin.email }, org };
}

/** A run queued by saveCredentials would otherwise wait for whichever test runner claims catalogue jobs first. */
async function cancelQueuedJob(runId: string) {
  await db.jobRun.deleteMany({ where: { eventData: { path: ["runId"], equals: runId } } });
  await db.syncRun.update({
    where: { id: runId },
    data: { status: "FAILED", finishedAt: new Date(), errorCode: "TEST", errorMessage: "cancelled by the test" },
  });
}

describe("credentialsSchema", () => {
  it("trims values and accepts a blank secret (keep the stored one)", () => {
    expect(credentialsSchema.parse({ orgId: "  acme-org ", clientId: "\tclient\n", clientSecret: "   " })).toEqual({
      orgId: "acme-org",
      clientId: "client",
      clientSecret: "",
    });
  });

  it("refuses whitespace inside, unsafe org ids and overlong values, naming the field", () => {
    const issues = (input: Record<string, string>) => [
      ...new Set(credentialsSchema.safeParse(input).error?.issues.map((i) => i.path[0]) ?? []),
    ];
    expect(issues({ orgId: "acme org", clientId: "c", clientSecret: "" })).toEqual(["orgId"]);
    expect(issues({ orgId: "../other", clientId: "c", clientSecret: "" })).toEqual(["orgId"]);
    // Path tricks: every one would steer the organisation's token to another path on Coursera's host.
    for (const orgId of [
      "..",
      ".",
      "...",
      "a/../b",
      "..%2f",
      "%2e%2e",
      "a%2Fb",
      "a\\b",
      "a?b",
      "a#b",
      "a;b",
      "~",
      "a.b",
      "org\u0000",
      "ｏｒｇ",
    ])
      expect(issues({ orgId, clientId: "c", clientSecret: "" }), orgId).toEqual(["orgId"]);
    // Coursera's own shape (base64url-like ids) and the sandbox's are accepted.
    for (const orgId of ["5pkPdkSLEeiOYBLHrRPfjg", "acme-demo-org", "org_1"])
      expect(issues({ orgId, clientId: "c", clientSecret: "" })).toEqual([]);
    // Client ids and secrets are printable ASCII: control characters (NUL…) are refused, never sent to Coursera or PostgreSQL.
    expect(issues({ orgId: "o", clientId: "c\u0000", clientSecret: "" })).toEqual(["clientId"]);
    expect(issues({ orgId: "o", clientId: "c", clientSecret: "s\u0000" })).toEqual(["clientSecret"]);
    expect(issues({ orgId: "o", clientId: "my client", clientSecret: "" })).toEqual(["clientId"]);
    expect(issues({ orgId: "o", clientId: "c", clientSecret: "sec ret" })).toEqual(["clientSecret"]);
    expect(issues({ orgId: "o", clientId: "c", clientSecret: "x".repeat(501) })).toEqual(["clientSecret"]);
    expect(issues({ orgId: "", clientId: "", clientSecret: "" })).toEqual(["orgId", "clientId"]);
  });
});

describe("testConnection", () => {
  it("says precisely what is wrong: secret, org id, API access, Coursera unreachable", async () => {
    const w = await platform();
    const ok = await testConnection(w.platformId, w.org);
    expect(ok).toMatchObject({ ok: true });

    const badSecret = await testConnection(w.platformId, { ...w.org, clientSecret: "wrong-secret" });
    expect(badSecret).toMatchObject({ ok: false, field: "clientSecret" });
    expect(badSecret.ok === false && badSecret.message).toMatch(/client ID or client secret/);

    const badOrg = await testConnection(w.platformId, { ...w.org, orgId: "no-such-org" });
    expect(badOrg).toMatchObject({ ok: false, field: "orgId" });
    expect(badOrg.ok === false && badOrg.message).toMatch(/no-such-org/);

    const noApi = await testConnection(w.platformId, { orgId: "acme-demo-noapi", clientId: "noapi-client", clientSecret: "noapi-secret" });
    expect(noApi).toMatchObject({ ok: false, field: "form" });
    expect(noApi.ok === false && noApi.message).toMatch(/API access is not enabled/);

    setCourseraClientOverrides({ ...client, baseUrl: "http://127.0.0.1:9" });
    try {
      const down = await testConnection(w.platformId, w.org);
      expect(down).toMatchObject({ ok: false, field: "form" });
    } finally {
      setCourseraClientOverrides(client);
    }
  });

  it("uses the stored secret when the field is blank, and asks for one when none is stored", async () => {
    const w = await platform();
    expect(await testConnection(w.platformId, { ...w.org, clientSecret: "" })).toMatchObject({
      ok: false,
      code: "SECRET_REQUIRED",
      field: "clientSecret",
    });
    expect(await saveCredentials({ platformId: w.platformId, credentials: w.org, actor: w.actor, startSync: requestSync })).toMatchObject({
      ok: true,
      changed: true,
    });
    expect(await testConnection(w.platformId, { ...w.org, clientSecret: "" })).toMatchObject({ ok: true });
  });
});

describe("saveCredentials", () => {
  it("stores the secret encrypted with its last four characters, audits without values, and starts no sync while the connector is disabled", async () => {
    const w = await platform();
    const result = await saveCredentials({
      platformId: w.platformId,
      credentials: { ...w.org, orgId: ` ${w.org.orgId} ` },
      actor: w.actor,
      startSync: requestSync,
    });
    expect(result).toMatchObject({ ok: true, changed: true, runId: null });
    expect(result.ok && result.syncNotice).toMatch(/enables the connector/);

    const stored = await db.courseraConnector.findUniqueOrThrow({ where: { platformId: w.platformId } });
    expect(stored.orgId).toBe(w.org.orgId);
    expect(stored.clientSecretEncrypted).not.toContain(w.org.clientSecret);
    expect(decryptSecret(stored.clientSecretEncrypted!)).toBe(w.org.clientSecret);
    expect(stored.clientSecretLast4).toBe("abcd");
    expect(stored.credentialsUpdatedById).toBe(w.actor.id);

    const audit = await db.auditLog.findMany({ where: { platformId: w.platformId, action: "credentials.replaced" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({ first: true, secretChanged: true });
    expect(JSON.stringify(audit)).not.toContain(w.org.clientSecret);
    expect(await db.syncRun.count({ where: { platformId: w.platformId } })).toBe(0);
  });

  it("keeps the stored secret when the field is blank, and a re-save of the same values changes nothing", async () => {
    const w = await platform();
    await saveCredentials({ platformId: w.platformId, credentials: w.org, actor: w.actor, startSync: requestSync });
    const before = await db.courseraConnector.findUniqueOrThrow({ where: { platformId: w.platformId } });

    const same = await saveCredentials({
      platformId: w.platformId,
      credentials: { ...w.org, clientSecret: "" },
      actor: w.actor,
      startSync: requestSync,
    });
    expect(same).toMatchObject({ ok: true, changed: false });
    const retyped = await saveCredentials({ platformId: w.platformId, credentials: w.org, actor: w.actor, startSync: requestSync });
    expect(retyped).toMatchObject({ ok: true, changed: false });

    const after = await db.courseraConnector.findUniqueOrThrow({ where: { platformId: w.platformId } });
    expect(after.clientSecretEncrypted).toBe(before.clientSecretEncrypted);
    expect(await db.auditLog.count({ where: { platformId: w.platformId, action: "credentials.replaced" } })).toBe(1);
  });

  it("refuses credentials Coursera rejects and stores nothing", async () => {
    const w = await platform();
    const result = await saveCredentials({
      platformId: w.platformId,
      credentials: { ...w.org, clientSecret: "not-it" },
      actor: w.actor,
      startSync: requestSync,
    });
    expect(result).toMatchObject({
      ok: false,
      code: "REJECTED_BY_COURSERA",
      fieldErrors: { clientSecret: expect.stringMatching(/client secret/) },
    });
    expect(await db.courseraConnector.findUnique({ where: { platformId: w.platformId } })).toBeNull();
    // The refused attempt is audited: who, the organisation and Coursera's answer, never the values tried.
    const rejected = await db.auditLog.findMany({ where: { platformId: w.platformId, action: "credentials.rejected" } });
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({
      actorId: w.actor.id,
      details: { orgId: w.org.orgId, courseraCode: "BAD_CREDENTIALS", field: "clientSecret", secretFromForm: true },
    });
    expect(JSON.stringify(rejected[0].details)).not.toContain("not-it");
    expect(JSON.stringify(rejected[0].details)).not.toContain(w.org.clientId);

    const invalid = await saveCredentials({
      platformId: w.platformId,
      credentials: { ...w.org, orgId: "has space" },
      actor: w.actor,
      startSync: requestSync,
    });
    expect(invalid).toMatchObject({ ok: false, code: "INVALID_INPUT", fieldErrors: { orgId: expect.any(String) } });
    const noSecret = await saveCredentials({
      platformId: w.platformId,
      credentials: { ...w.org, clientSecret: "" },
      actor: w.actor,
      startSync: requestSync,
    });
    expect(noSecret).toMatchObject({ ok: false, code: "SECRET_REQUIRED" });
    // Refused by our own checks, before Coursera: nothing more to audit.
    expect(await db.auditLog.count({ where: { platformId: w.platformId, action: "credentials.rejected" } })).toBe(1);
  });

  it("starts the catalogue sync when new credentials are saved on an enabled connector", async () => {
    const w = await platform();
    expect(await enableConnector({ platformId: w.platformId, syncGroupId: w.nestedId, actor: w.actor })).toEqual({ ok: true });
    const result = await saveCredentials({ platformId: w.platformId, credentials: w.org, actor: w.actor, startSync: requestSync });
    expect(result).toMatchObject({ ok: true, changed: true, runId: expect.any(String), syncNotice: null });
    const runId = result.ok ? result.runId! : "";
    try {
      const run = await db.syncRun.findUniqueOrThrow({ where: { id: runId } });
      expect(run).toMatchObject({ platformId: w.platformId, kind: "CATALOGUE", trigger: "CREDENTIALS", triggeredById: w.actor.id });
    } finally {
      await cancelQueuedJob(runId);
    }
  });
});

describe("connector activation", () => {
  it("enables on a nested group, moves the group, disables, and audits each change", async () => {
    const w = await platform();
    expect(await enableConnector({ platformId: w.platformId, syncGroupId: w.nestedId, actor: w.actor })).toEqual({ ok: true });
    expect(await db.courseraConnector.findUniqueOrThrow({ where: { platformId: w.platformId } })).toMatchObject({
      enabled: true,
      syncGroupId: w.nestedId,
      enabledById: w.actor.id,
    });

    // Enabling again on another group is not a way around the reviewed move.
    expect(await enableConnector({ platformId: w.platformId, syncGroupId: w.rootId, actor: w.actor })).toMatchObject({
      ok: false,
      code: "ALREADY_ENABLED",
    });
    expect(await enableConnector({ platformId: w.platformId, syncGroupId: w.nestedId, actor: w.actor })).toEqual({ ok: true });
    expect(await moveSyncGroup({ platformId: w.platformId, syncGroupId: w.rootId, actor: w.actor })).toMatchObject({
      ok: true,
      changed: true,
    });
    expect(await moveSyncGroup({ platformId: w.platformId, syncGroupId: w.rootId, actor: w.actor })).toEqual({
      ok: true,
      changed: false,
    });
    expect(await disableConnector({ platformId: w.platformId, actor: w.actor })).toEqual({ ok: true });
    expect(await disableConnector({ platformId: w.platformId, actor: w.actor })).toMatchObject({ ok: false, code: "NOT_ENABLED" });

    const actions = (await db.auditLog.findMany({ where: { platformId: w.platformId }, orderBy: { createdAt: "asc" } })).map(
      (a) => a.action,
    );
    expect(actions).toEqual(["connector.enabled", "connector.sync_group_changed", "connector.disabled"]);
  });

  it("refuses a group of another platform", async () => {
    const a = await platform();
    const b = await platform();
    expect(await enableConnector({ platformId: a.platformId, syncGroupId: b.nestedId, actor: a.actor })).toMatchObject({
      ok: false,
      code: "GROUP_NOT_FOUND",
    });
    await enableConnector({ platformId: a.platformId, syncGroupId: a.rootId, actor: a.actor });
    expect(await moveSyncGroup({ platformId: a.platformId, syncGroupId: b.rootId, actor: a.actor })).toMatchObject({
      ok: false,
      code: "GROUP_NOT_FOUND",
    });
    expect((await db.courseraConnector.findUniqueOrThrow({ where: { platformId: a.platformId } })).syncGroupId).toBe(a.rootId);
  });
});
