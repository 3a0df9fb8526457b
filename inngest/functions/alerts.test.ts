import { randomBytes, randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { defineFunction, type DefinedFunction } from "@/inngest/define";
import { requestAlertCheck, reportCredentialsCheck, requestSync } from "@/inngest/dispatch";
import type { AlertsCheck, SyncRequest } from "@/inngest/events";
import { INNGEST_LIMITS, jsonBytes } from "@/inngest/limits";
import { alertsCheckFunction, alertsSweepFunction, DELIVERY_STEPS_PER_RUN, EMAILS_PER_STEP } from "@/inngest/functions/alerts";
import { catalogueSyncFunction, statisticsSyncFunction } from "@/inngest/functions/sync";
import { resetSyncSandbox, startSyncSandbox, stopSyncSandbox } from "@/inngest/functions/sync-sandbox.fixtures";
import { EmbeddedRunner } from "@/inngest/runner";
import { deliverAlertEmails, MAX_ATTEMPTS } from "@/lib/alerts/delivery";
import { setMailerOverride, smtpMailer, type ComposedEmail } from "@/lib/alerts/email";
import { saveAlertPreferences } from "@/lib/alerts/mutations";
import { reconcileAlerts } from "@/lib/alerts/reconcile";
import { dismissHeldRetirements } from "@/lib/catalogue/mutations";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { dismissUnmatched } from "@/lib/statistics/mutations";
import type { CourseraSandbox } from "@/sandbox/server";
import { startSmtpCatcher, type SmtpCatcher } from "@/scripts/smtp-catcher";

/**
 * Alerts end to end in the worker's code: real syncs against the Coursera
 * sandbox on the embedded runner, the alerts function reacting to them, and
 * emails delivered over SMTP to a real SMTP server in this process. Each kind
 * of alert opens once per incident (not per retry, not per failing run) and
 * recovers once, for the platform's admins and the CSMs only, with each
 * person's opt-outs; no email carries the connector's secret.
 *
 * Functions run under their own ids (as in the other job tests), and this
 * runner is made the process's runner, so the events the syncs and the web
 * tier's helpers send reach these copies.
 */

let sandbox: CourseraSandbox;
let smtp: SmtpCatcher;
const copy = <T>(fn: DefinedFunction<T>, id: string) => defineFunction<T>({ ...fn.definition, id }) as DefinedFunction<unknown>;
const runner = new EmbeddedRunner(
  [
    copy(catalogueSyncFunction as DefinedFunction<SyncRequest>, "alerts-test-catalogue-sync"),
    copy(statisticsSyncFunction as DefinedFunction<SyncRequest>, "alerts-test-statistics-sync"),
    copy(alertsCheckFunction as DefinedFunction<AlertsCheck>, "alerts-test-check"),
  ],
  { backoffMs: () => 5, log: () => {} },
);
(globalThis as unknown as { courseraRunner?: EmbeddedRunner }).courseraRunner = runner;

beforeAll(async () => {
  sandbox = await startSyncSandbox();
  smtp = await startSmtpCatcher();
  setMailerOverride(smtpMailer(smtp.url));
});
afterEach(() => {
  resetSyncSandbox(sandbox);
  setMailerOverride(smtpMailer(smtp.url));
});
afterAll(async () => {
  setMailerOverride(null);
  await smtp?.close();
  await stopSyncSandbox(sandbox);
});

interface Person {
  id: string;
  email: string;
}

/** A platform on its own Coursera organisation: two admins, a learner, and elsewhere a CSM and another platform's admin. */
async function world() {
  const tag = randomUUID().slice(0, 8);
  const secret = `alert-secret-${randomBytes(12).toString("hex")}`;
  const orgId = `alerts-${tag}`;
  sandbox.control.addOrg({
    orgId,
    clientId: `client-${tag}`,
    clientSecret: secret,
    seed: 11,
    catalogueSize: 30,
    learners: { count: 6, emailPattern: `learner{n}@${tag}.test` },
    enrollmentCount: 24,
  });
  const platform = await db.platform.create({ data: { name: `Alerts ${tag}`, slug: `alerts-${tag}`, timeZone: "Europe/Paris" } });
  const group = await db.group.create({ data: { platformId: platform.id, name: "Everyone" } });
  const connector = await db.courseraConnector.create({
    data: {
      platformId: platform.id,
      enabled: true,
      enabledAt: new Date(),
      syncGroupId: group.id,
      orgId,
      clientId: `client-${tag}`,
      clientSecretEncrypted: encryptSecret(secret),
      clientSecretLast4: secret.slice(-4),
    },
  });
  const other = await db.platform.create({ data: { name: `Elsewhere ${tag}`, slug: `elsewhere-${tag}` } });
  const person = async (role: "ADMIN" | "CSM" | "LEARNER", key: string, platformId: string | null = platform.id): Promise<Person> => {
    const u = await db.user.create({ data: { email: `${key}-${tag}@alerts.test`, name: `${key} ${tag}`, role, platformId } });
    return { id: u.id, email: u.email };
  };
  // Four of the organisation's six learners exist on the platform: the statistics sync leaves two unmatched.
  await db.user.createMany({
    data: [1, 2, 3, 4].map((n) => ({
      platformId: platform.id,
      email: `learner${n}@${tag}.test`,
      name: `Learner ${n}`,
      role: "LEARNER" as const,
    })),
  });
  return {
    tag,
    secret,
    orgId,
    platformId: platform.id,
    platformName: platform.name,
    connectorId: connector.id,
    admin: await person("ADMIN", "admin"),
    admin2: await person("ADMIN", "admin2"),
    learner: await person("LEARNER", "learner"),
    csm: await person("CSM", "csm", null),
    otherAdmin: await person("ADMIN", "other-admin", other.id),
  };
}
type World = Awaited<ReturnType<typeof world>>;

async function sync(w: World, kind: "CATALOGUE" | "STATISTICS") {
  const opened = await requestSync({ connectorId: w.connectorId, kind, trigger: "MANUAL" });
  if (!opened.ok) throw new Error(opened.message);
  await runner.runUntilIdle(180_000);
  return db.syncRun.findUniqueOrThrow({ where: { id: opened.runId } });
}

async function checkAlerts(w: World) {
  await requestAlertCheck({ platformId: w.platformId });
  await runner.runUntilIdle(60_000);
}

const mailsTo = (p: Person) => smtp.messages.filter((m) => m.to.includes(p.email));
const incidents = (w: World) => db.alertIncident.findMany({ where: { connectorId: w.connectorId }, orderBy: { openedAt: "asc" } });
const notificationsOf = (p: Person) =>
  db.alertNotification.findMany({ where: { userId: p.id }, include: { incident: true }, orderBy: { createdAt: "asc" } });

/** No message anyone received carries the secret, in any form it could take on the wire. */
function expectNoSecretInMail(w: World) {
  const forms = [w.secret, encodeURIComponent(w.secret), Buffer.from(w.secret).toString("base64"), w.secret.slice(0, -4)];
  for (const m of smtp.messages) for (const form of forms) expect(m.raw).not.toContain(form);
}

/** Recipients outside the platform's admins and the CSMs get nothing. */
async function expectNothingFor(w: World) {
  for (const p of [w.learner, w.otherAdmin]) {
    expect(mailsTo(p)).toEqual([]);
    expect(await notificationsOf(p)).toEqual([]);
  }
}

describe("alerts", () => {
  it("a failing sync alerts once, whatever its retries and the failing runs after it, and its recovery once; opt-outs respected", async () => {
    const w = await world();
    // admin2 keeps sync failures in the app but not by email.
    await saveAlertPreferences({
      userId: w.admin2.id,
      platformId: w.platformId,
      actor: w.admin2,
      preferences: { preferences: [{ kind: "SYNC_FAILED", inApp: true, email: false }] },
    });
    sandbox.control.injectFault({ endpoint: "contents", kind: "server-error-503", times: "always" });
    const first = await sync(w, "CATALOGUE");
    expect(first.status).toBe("FAILED");
    // The job was retried (3 retries), and a second run fails too: still one incident, one email each.
    expect(await db.jobRun.findFirstOrThrow({ where: { eventData: { path: ["runId"], equals: first.id } } })).toMatchObject({ attempt: 4 });
    expect((await sync(w, "CATALOGUE")).status).toBe("FAILED");

    const [incident, ...more] = await incidents(w);
    expect(more).toEqual([]);
    expect(incident).toMatchObject({ kind: "SYNC_FAILED", scope: "CATALOGUE", resolvedAt: null, path: expect.stringMatching(/\/syncs\//) });
    for (const p of [w.admin, w.csm]) {
      const mails = mailsTo(p);
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toBe(`[${w.platformName}] Catalogue sync failed`);
      expect(mails[0].text).toContain("Coursera did not answer properly");
      // The link explains: the run's page (the latest failing run), on the app's public address.
      expect(mails[0].text).toMatch(new RegExp(`https?://\\S+/p/${w.platformId}/syncs/\\w+`));
      expect(mails[0].html).toContain(`/p/${w.platformId}/syncs/`);
    }
    expect(mailsTo(w.admin2)).toEqual([]);
    const admin2Notes = await notificationsOf(w.admin2);
    expect(admin2Notes.map((n) => [n.event, n.inApp, n.emailStatus])).toEqual([["OPENED", true, "SKIPPED"]]);
    await expectNothingFor(w);

    sandbox.control.clearFaults();
    expect((await sync(w, "CATALOGUE")).status).toBe("SUCCEEDED");
    expect(await db.alertIncident.findUniqueOrThrow({ where: { id: incident.id } })).toMatchObject({
      resolution: "The catalogue sync succeeded again.",
    });
    for (const p of [w.admin, w.csm]) {
      expect(mailsTo(p).map((m) => m.subject)).toEqual([
        `[${w.platformName}] Catalogue sync failed`,
        `[${w.platformName}] Resolved: Catalogue sync failed`,
      ]);
      expect(mailsTo(p)[1].text).toContain("The catalogue sync succeeded again.");
    }
    expect((await notificationsOf(w.admin)).map((n) => [n.event, n.emailStatus])).toEqual([
      ["OPENED", "SENT"],
      ["RESOLVED", "SENT"],
    ]);
    await expectNothingFor(w);
    expectNoSecretInMail(w);
  });

  it("credentials refused by Coursera, during a sync or when tested, alert once until Coursera accepts them again", async () => {
    const w = await world();
    await db.courseraConnector.update({ where: { id: w.connectorId }, data: { clientSecretEncrypted: encryptSecret("not-the-secret") } });
    expect(await sync(w, "CATALOGUE")).toMatchObject({ status: "FAILED", errorCode: "BAD_CREDENTIALS" });
    expect(await sync(w, "STATISTICS")).toMatchObject({ status: "FAILED", errorCode: "BAD_CREDENTIALS" });
    // One incident, of credentials: not a "sync failed" as well.
    expect((await incidents(w)).map((i) => [i.kind, i.resolvedAt])).toEqual([["CREDENTIALS_REJECTED", null]]);
    const [opened] = mailsTo(w.admin);
    expect(mailsTo(w.admin)).toHaveLength(1);
    expect(opened.subject).toBe(`[${w.platformName}] Coursera rejected the credentials`);
    expect(opened.text).toContain("Coursera rejected the client ID or client secret.");
    expect(opened.text).toContain(`/p/${w.platformId}/connector`);

    // Corrected and tested in the admin pages: accepted.
    await db.courseraConnector.update({ where: { id: w.connectorId }, data: { clientSecretEncrypted: encryptSecret(w.secret) } });
    await reportCredentialsCheck(w.platformId, { ok: true });
    await runner.runUntilIdle(60_000);
    expect(mailsTo(w.csm).map((m) => m.subject)).toEqual([
      `[${w.platformName}] Coursera rejected the credentials`,
      `[${w.platformName}] Resolved: Coursera rejected the credentials`,
    ]);

    // A test refused in the admin pages is a new incident; the next successful sync closes it.
    await reportCredentialsCheck(w.platformId, { ok: false, code: "UNKNOWN_ORG" });
    // What is not Coursera's verdict on the credentials (unreachable, a typo caught first) changes nothing.
    await reportCredentialsCheck(w.platformId, { ok: false, code: "UNAVAILABLE" });
    await reportCredentialsCheck(w.platformId, { ok: false, code: "INVALID_INPUT" });
    await runner.runUntilIdle(60_000);
    expect(mailsTo(w.admin)).toHaveLength(3);
    expect(mailsTo(w.admin)[2].text).toContain("Coursera does not know the organisation ID. This happened when they were tested or saved");
    expect((await sync(w, "CATALOGUE")).status).toBe("SUCCEEDED");
    expect((await incidents(w)).map((i) => [i.kind, i.resolvedAt !== null])).toEqual([
      ["CREDENTIALS_REJECTED", true],
      ["CREDENTIALS_REJECTED", true],
    ]);
    expect(mailsTo(w.admin)).toHaveLength(4);
    await expectNothingFor(w);
    expectNoSecretInMail(w);
  });

  it("runs that need review (unmatched learners, a held mass drop) alert until decided; a stale connector alerts until it syncs", async () => {
    const w = await world();
    // admin2: review alerts by email only; nothing at all about staleness.
    await saveAlertPreferences({
      userId: w.admin2.id,
      platformId: w.platformId,
      actor: w.admin2,
      preferences: {
        preferences: [
          { kind: "NEEDS_REVIEW", inApp: false, email: true },
          { kind: "STALE", inApp: false, email: false },
        ],
      },
    });
    expect((await sync(w, "CATALOGUE")).status).toBe("SUCCEEDED");
    const statistics = await sync(w, "STATISTICS");
    expect(statistics.status).toBe("NEEDS_REVIEW");
    const review = (await incidents(w)).find((i) => i.kind === "NEEDS_REVIEW")!;
    expect(review).toMatchObject({ scope: "STATISTICS", path: `/p/${w.platformId}/unmatched`, resolvedAt: null });
    expect(mailsTo(w.admin).map((m) => m.subject)).toEqual([`[${w.platformName}] Statistics sync needs review: unmatched learners`]);
    expect(mailsTo(w.admin2)).toHaveLength(1);
    expect((await notificationsOf(w.admin2)).map((n) => [n.inApp, n.emailStatus])).toEqual([[false, "SENT"]]);
    // Another statistics run leaving the same learners unmatched: the same incident, no new alert.
    expect((await sync(w, "STATISTICS")).status).toBe("NEEDS_REVIEW");
    expect(mailsTo(w.admin)).toHaveLength(1);

    // Coursera's catalogue drops from 30 to 5 items: the retirement is held for an admin.
    sandbox.control.setCatalogueSize(w.orgId, 5);
    const held = await sync(w, "CATALOGUE");
    expect(held).toMatchObject({ status: "NEEDS_REVIEW", heldRetirements: 25 });
    expect(mailsTo(w.csm).map((m) => m.subject)).toContain(`[${w.platformName}] Catalogue sync needs review: retirements held back`);
    expect(mailsTo(w.csm).find((m) => m.subject.includes("retirements"))!.text).toContain(`/p/${w.platformId}/syncs/${held.id}`);

    expect(await dismissHeldRetirements({ platformId: w.platformId, runId: held.id, actor: w.admin })).toMatchObject({ ok: true });
    await checkAlerts(w);
    const records = await db.unmatchedLearnerRecord.findMany({ where: { platformId: w.platformId, resolvedAt: null } });
    for (const identityKey of new Set(records.map((r) => r.identityKey))) {
      await dismissUnmatched({ platformId: w.platformId, identityKey, actor: w.admin });
    }
    await checkAlerts(w);
    expect((await incidents(w)).filter((i) => i.kind === "NEEDS_REVIEW").map((i) => [i.scope, i.resolution])).toEqual([
      ["STATISTICS", "The unmatched records of the latest statistics sync were resolved, or a later sync matched them."],
      ["CATALOGUE", "The held retirements were decided, or a later catalogue sync replaced them."],
    ]);
    expect(mailsTo(w.admin).filter((m) => m.subject.includes("Resolved: "))).toHaveLength(2);

    // Nothing succeeded for 40 hours (the threshold is 36): both kinds are stale.
    await db.$executeRaw`UPDATE "SyncRun" SET "finishedAt" = "finishedAt" - interval '40 hours' WHERE "connectorId" = ${w.connectorId}`;
    await checkAlerts(w);
    const stale = (await incidents(w)).filter((i) => i.kind === "STALE");
    expect(stale.map((i) => [i.scope, i.resolvedAt])).toEqual([
      ["CATALOGUE", null],
      ["STATISTICS", null],
    ]);
    expect(stale[0].summary).toMatch(/^No catalogue sync has succeeded for more than 36 hours \(the last one finished .+\)\.$/);
    expect(mailsTo(w.admin).filter((m) => m.subject.includes("not synced successfully"))).toHaveLength(2);
    expect((await notificationsOf(w.admin2)).filter((n) => n.incident.kind === "STALE")).toEqual([]);
    sandbox.control.setCatalogueSize(w.orgId, 30);
    expect((await sync(w, "CATALOGUE")).status).toBe("SUCCEEDED");
    const after = (await incidents(w)).filter((i) => i.kind === "STALE");
    expect(after.map((i) => [i.scope, i.resolvedAt !== null])).toEqual([
      ["CATALOGUE", true],
      ["STATISTICS", false],
    ]);
    expect(after[0].resolution).toMatch(/^A catalogue sync succeeded/);
    await expectNothingFor(w);
    expectNoSecretInMail(w);
  });

  it("an email the SMTP server refuses is tried again later, then given up after its attempts; a disabled connector's alerts close", async () => {
    const w = await world();
    smtp.refuse((address) => address === w.admin.email, { code: 451, message: "Try again later" });
    await reportCredentialsCheck(w.platformId, { ok: false, code: "BAD_CREDENTIALS" });
    await runner.runUntilIdle(60_000);
    expect(mailsTo(w.csm)).toHaveLength(1);
    expect(mailsTo(w.admin)).toHaveLength(0);
    const [pending] = await notificationsOf(w.admin);
    expect(pending).toMatchObject({ emailStatus: "PENDING", emailAttempts: 1, emailError: expect.stringMatching(/^SMTP 451/) });
    // Not before its delay; then delivered.
    await deliverAlertEmails({ now: new Date(pending.emailNextAttemptAt.getTime() - 1000) });
    expect(mailsTo(w.admin)).toHaveLength(0);
    await deliverAlertEmails({ now: new Date(pending.emailNextAttemptAt.getTime() + 1000), limit: 500 });
    expect(mailsTo(w.admin)).toHaveLength(1);
    expect(await db.alertNotification.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      emailStatus: "SENT",
      emailAttempts: 2,
    });

    // Refused every time: given up after MAX_ATTEMPTS, the reason kept.
    smtp.refuse((address) => address === w.admin.email, { code: 550, message: "No such mailbox" }, Infinity);
    await db.courseraConnector.update({ where: { id: w.connectorId }, data: { enabled: false } });
    await checkAlerts(w);
    const [incident] = await incidents(w);
    expect(incident).toMatchObject({ kind: "CREDENTIALS_REJECTED", resolution: "The connector was disabled." });
    const resolved = (await notificationsOf(w.admin)).find((n) => n.event === "RESOLVED")!;
    let at = new Date();
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      at = new Date(at.getTime() + 2 * 3_600_000);
      await deliverAlertEmails({ now: at, limit: 500 });
    }
    expect(await db.alertNotification.findUniqueOrThrow({ where: { id: resolved.id } })).toMatchObject({
      emailStatus: "FAILED",
      emailAttempts: MAX_ATTEMPTS,
      emailError: expect.stringMatching(/^SMTP 550/),
    });
    expect(mailsTo(w.csm).map((m) => m.subject)).toEqual([
      `[${w.platformName}] Coursera rejected the credentials`,
      `[${w.platformName}] Resolved: Coursera rejected the credentials`,
    ]);
  });

  it("without SMTP_URL, alerts stay in the app and the worker logs the email it would send, without the secret", async () => {
    const w = await world();
    setMailerOverride(null); // the environment's: no SMTP_URL here
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    let lines: string[];
    try {
      await db.courseraConnector.update({
        where: { id: w.connectorId },
        data: { clientSecretEncrypted: encryptSecret(`${w.secret}-wrong`) },
      });
      expect((await sync(w, "CATALOGUE")).errorCode).toBe("BAD_CREDENTIALS");
    } finally {
      lines = log.mock.calls.map((c) => String(c[0]));
      log.mockRestore();
    }
    const logged = lines.filter((line) => line.includes(w.platformName));
    expect(logged.length).toBeGreaterThanOrEqual(2);
    expect(logged.some((line) => line.includes(`To: ${w.admin.email}`) && line.includes("Subject: [Alerts"))).toBe(true);
    for (const line of logged) expect(line).not.toContain(w.secret);
    expect((await notificationsOf(w.admin)).map((n) => [n.inApp, n.readAt, n.emailStatus])).toEqual([[true, null, "LOGGED"]]);
    expect(mailsTo(w.admin)).toEqual([]);
  });

  it("the sweep, under the SDK's executor: 1,200 failing connectors open their incidents in one step, and emails go out in bounded batches with a continuation", async () => {
    const tag = randomUUID().slice(0, 8);
    const count = 1_200;
    const finishedAt = new Date(Date.now() - 60_000);
    await db.platform.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        id: `alert-fleet-${tag}-${i}`,
        name: `Alert fleet ${tag} ${i}`,
        slug: `alert-fleet-${tag}-${i}`,
      })),
    });
    await db.courseraConnector.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        id: `alert-fleet-c-${tag}-${i}`,
        platformId: `alert-fleet-${tag}-${i}`,
        enabled: true,
        enabledAt: new Date(),
        orgId: `org-${i}`,
        clientId: "client",
        clientSecretEncrypted: encryptSecret("secret"),
        clientSecretLast4: "cret",
      })),
    });
    await db.syncRun.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        platformId: `alert-fleet-${tag}-${i}`,
        connectorId: `alert-fleet-c-${tag}-${i}`,
        kind: "CATALOGUE" as const,
        trigger: "SCHEDULE" as const,
        status: "FAILED" as const,
        errorCode: "UNAVAILABLE",
        errorMessage: "Coursera did not answer properly after 6 attempts (last problem: HTTP 503).",
        queuedAt: finishedAt,
        finishedAt,
      })),
    });
    // One admin per platform: with the CSMs, more emails than one job run sends.
    await db.user.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        platformId: `alert-fleet-${tag}-${i}`,
        email: `admin-${i}@alert-fleet-${tag}.test`,
        name: `Admin ${i}`,
        role: "ADMIN" as const,
      })),
    });
    const recorded: ComposedEmail[] = [];
    setMailerOverride({ mode: "smtp", send: async (m) => void recorded.push(m) });

    const engine = new InngestTestEngine({
      function: alertsSweepFunction.sdk,
      events: [{ name: "inngest/scheduled.timer", data: { cron: "*/5 * * * *" }, ts: Date.now() } as never],
      steps: [{ id: "continue-delivery", handler: () => ({ ids: [] }) }],
    });
    const { ctx, state, result } = await engine.execute();
    const outputs = await Promise.all(Object.values(state).map((p) => p.catch(() => null)));
    const mine = { connectorId: { startsWith: `alert-fleet-c-${tag}-` } };
    expect(await db.alertIncident.count({ where: { ...mine, kind: "SYNC_FAILED", resolvedAt: null } })).toBe(count);
    // One reconcile step for the fleet, then at most DELIVERY_STEPS_PER_RUN batches, then the continuation.
    expect(Object.keys(state).length).toBeLessThanOrEqual(1 + DELIVERY_STEPS_PER_RUN + 1);
    expect(Object.keys(state).length).toBeLessThan(INNGEST_LIMITS.stepsPerRun);
    expect(outputs.reduce<number>((sum, o) => sum + jsonBytes(o), 0)).toBeLessThan(64 * 1024);
    expect(recorded).toHaveLength(DELIVERY_STEPS_PER_RUN * EMAILS_PER_STEP);
    expect(result).toMatchObject({ continued: true, sent: DELIVERY_STEPS_PER_RUN * EMAILS_PER_STEP });
    const sent = vi.mocked(ctx.step.sendEvent).mock.calls.map((call) => call[1]);
    expect(sent).toEqual([expect.objectContaining({ name: "alerts/check-requested", data: {} })]);

    // The continuation (the alerts-check function, nothing to reconcile) picks up where the batch ended.
    const continuation = new InngestTestEngine({
      function: alertsCheckFunction.sdk,
      events: [{ name: "alerts/check-requested", data: {} } as never],
      steps: [{ id: "continue-delivery", handler: () => ({ ids: [] }) }],
    });
    const next = await continuation.execute();
    expect(next.result).toMatchObject({ sent: expect.any(Number) });
    expect(next.result).not.toHaveProperty("opened");
    expect(recorded.length).toBeGreaterThan(DELIVERY_STEPS_PER_RUN * EMAILS_PER_STEP);
    expect(new Set(recorded.map((m) => m.messageId)).size).toBe(recorded.length);

    await db.platform.deleteMany({ where: { id: { startsWith: `alert-fleet-${tag}-` } } });
  }, 300_000);
});

describe("alerts and the hourly incremental statistics sync", () => {
  it("watch the daily full sync: an incremental success after a failed full sync neither hides the failure nor counts as fresh", async () => {
    const tag = randomUUID().slice(0, 8);
    const platform = await db.platform.create({ data: { name: `Incremental alerts ${tag}`, slug: `incremental-alerts-${tag}` } });
    const connector = await db.courseraConnector.create({
      data: {
        platformId: platform.id,
        enabled: true,
        enabledAt: new Date(Date.now() - 96 * 3_600_000),
        orgId: `org-${tag}`,
        clientId: "client",
        clientSecretEncrypted: encryptSecret("secret"),
        staleAfterHours: 36,
      },
    });
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const base = { platformId: platform.id, connectorId: connector.id, kind: "STATISTICS" as const, trigger: "SCHEDULE" as const };
    await db.syncRun.createMany({
      data: [
        { ...base, mode: "FULL", status: "SUCCEEDED", queuedAt: hoursAgo(50), startedAt: hoursAgo(50), finishedAt: hoursAgo(49) },
        {
          ...base,
          mode: "FULL",
          status: "FAILED",
          errorCode: "UNAVAILABLE",
          errorMessage: "Coursera did not answer.",
          queuedAt: hoursAgo(3),
          finishedAt: hoursAgo(3),
        },
        { ...base, mode: "INCREMENTAL", status: "SUCCEEDED", queuedAt: hoursAgo(1), startedAt: hoursAgo(1), finishedAt: hoursAgo(1) },
      ],
    });

    await reconcileAlerts({ connectorId: connector.id });

    const open = await db.alertIncident.findMany({ where: { connectorId: connector.id, resolvedAt: null }, orderBy: { kind: "asc" } });
    expect(open.find((i) => i.kind === "STALE")?.summary).toMatch(/^No full statistics sync has succeeded for more than 36 hours/);
    expect(open.map((i) => [i.kind, i.scope])).toEqual(
      expect.arrayContaining([
        ["SYNC_FAILED", "STATISTICS"],
        ["STALE", "STATISTICS"],
      ]),
    );
  });
});
