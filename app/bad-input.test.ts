import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startCourseraSandbox, type CourseraSandbox } from "@/sandbox/server";

/**
 * Bad input: every server action under app/**\/actions.ts fed empty, huge,
 * unicode, HTML/script, SQL-looking and wrongly typed values by an allowed
 * caller (the platform's admin, or the CSM where only a CSM may act), plus the
 * START route and the route handlers with garbage ids and query strings.
 *
 * Each refused call answers `{ ok: false }` with a short, person-readable
 * message (never raw exception text) and leaves the tables as they were; a
 * value that is legitimately accepted is stored verbatim, as text.
 *
 * As in the permissions matrix, the only mocks are next-auth's
 * getServerSession and next/cache. Credentials checks talk to a local Coursera
 * sandbox (never the real Coursera), which knows none of the garbage values.
 */

const session = vi.hoisted(() => ({ current: null as null | { user: { id: string } } }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), getServerSession: async () => session.current }));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const HUGE = "x".repeat(100 * 1024);
const HTML = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'];
const SQL = `'; DROP TABLE "Course"; --`;
const UNICODE = ["🚀🔥💥", "مرحبا بالعالم", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇"];
/** Text PostgreSQL refuses (NUL in text or JSON) or cannot store faithfully (lone surrogates, other control characters). */
const UNSTORABLE: [string, string][] = [
  ["NUL", "\0"],
  ["NUL inside", "py\0thon"],
  ["NUL escaped for JSON", "a\\u0000b"],
  ["lone high surrogate", "ab\uD800"],
  ["lone low surrogate", "\uDC00cd"],
  ["control characters", "a\u0001\u001b[31m\u007fb"],
];
const STRINGS: [string, string][] = [
  ["empty", ""],
  ["blank", "   "],
  ["100 KB", HUGE],
  ...UNICODE.map((u, i) => [`unicode #${i + 1}`, u] as [string, string]),
  ...HTML.map((h, i) => [`html #${i + 1}`, h] as [string, string]),
  ["sql", SQL],
  ...UNSTORABLE,
];
const WRONG_TYPES: [string, unknown][] = [
  ["number", 42],
  ["array", ["a", "b"]],
  ["null", null],
  ["undefined", undefined],
  ["object", { toString: "x", $where: "1" }],
  ["boolean", true],
];
const GARBAGE: [string, unknown][] = [...STRINGS, ...WRONG_TYPES];

interface World {
  platformId: string;
  groupId: string;
  /** A second group of the platform (a move target) and an undoable move's audit entry (Everyone ← Other). */
  otherGroupId: string;
  moveAuditId: string;
  courseId: string;
  skillId: string;
  runId: string;
  admin: string;
  csm: string;
  learner: string;
}
let w: World;
let sandbox: CourseraSandbox;

beforeAll(async () => {
  sandbox = await startCourseraSandbox({ port: 0, includeDemoOrg: false });
  // Credentials checks go to the sandbox.
  (await import("@/lib/connectors/coursera-client")).setCourseraClientOverrides({ baseUrl: sandbox.url, requestsPerSecond: 0 });
  const { db } = await import("@/lib/db");
  const tag = randomUUID().slice(0, 8);
  const platform = await db.platform.create({ data: { name: `Bad input ${tag}`, slug: `bad-input-${tag}` } });
  const group = await db.group.create({ data: { platformId: platform.id, name: "Everyone", isPublic: true } });
  const otherGroup = await db.group.create({ data: { platformId: platform.id, name: "Other", isPublic: true } });
  const connector = await db.courseraConnector.create({
    data: { platformId: platform.id, enabled: true, syncGroupId: group.id, orgId: `org-${tag}`, clientId: `client-${tag}` },
  });
  const course = await db.course.create({
    data: {
      platformId: platform.id,
      source: "COURSERA",
      courseraContentId: `c-${tag}`,
      title: "A course",
      launchUrl: "https://www.coursera.org/programs/p?productId=x",
      courseraSkills: [{ id: "python", name: "Python" }],
    },
  });
  const skill = await db.skill.create({ data: { platformId: platform.id, name: "Existing", nameKey: "existing" } });
  await db.courseSkill.create({ data: { courseId: course.id, skillId: skill.id } });
  const run = await db.syncRun.create({
    data: { platformId: platform.id, connectorId: connector.id, kind: "CATALOGUE", trigger: "MANUAL", status: "SUCCEEDED" },
  });
  const user = async (role: "ADMIN" | "CSM" | "LEARNER", name: string) => {
    const u = await db.user.create({
      data: { email: `${name}-${tag}@bad-input.test`, name, role, platformId: role === "CSM" ? null : platform.id },
    });
    if (role === "LEARNER") await db.groupMembership.create({ data: { userId: u.id, groupId: group.id } });
    return u.id;
  };
  const move = await db.auditLog.create({
    data: {
      platformId: platform.id,
      action: "connector.sync_group_changed",
      targetType: "Group",
      targetId: group.id,
      details: { fromGroupId: otherGroup.id },
    },
  });
  w = {
    platformId: platform.id,
    groupId: group.id,
    otherGroupId: otherGroup.id,
    moveAuditId: move.id,
    courseId: course.id,
    skillId: skill.id,
    runId: run.id,
    admin: await user("ADMIN", "admin"),
    csm: await user("CSM", "csm"),
    learner: await user("LEARNER", "learner"),
  };
});

afterAll(async () => {
  (await import("@/lib/connectors/coursera-client")).setCourseraClientOverrides({});
  await (await import("@/lib/db")).disconnectDb();
  await sandbox?.close();
});

const actAs = (userId: string) => (session.current = { user: { id: userId } });

/** Everything an action of this platform could write. */
async function snapshot() {
  const { db } = await import("@/lib/db");
  const where = { platformId: w.platformId };
  return {
    skills: await db.skill.count({ where }),
    links: await db.courseSkill.count({ where: { course: where } }),
    courses: await db.course.count({ where }),
    runs: await db.syncRun.count({ where }),
    // Refused attempts are audited on purpose (a secret Coursera refused, an action refused by role): not a change.
    audit: await db.auditLog.count({ where: { ...where, action: { notIn: ["credentials.rejected", "access.denied"] } } }),
    unmatched: await db.unmatchedLearnerRecord.count({ where }),
    stats: await db.learnerCourseStat.count({ where }),
    alertPreferences: await db.alertPreference.count({ where: { userId: { in: [w.admin, w.csm] } } }),
    notificationsRead: await db.alertNotification.count({ where: { userId: { in: [w.admin, w.csm] }, readAt: { not: null } } }),
    connector: await db.courseraConnector.findUniqueOrThrow({
      where,
      select: {
        enabled: true,
        syncGroupId: true,
        orgId: true,
        clientId: true,
        clientSecretEncrypted: true,
        credentialsUpdatedAt: true,
        timeZone: true,
        catalogueTime: true,
        statisticsTime: true,
        scheduleChangedAt: true,
        staleAfterHours: true,
      },
    }),
  };
}

/** A refusal an admin can read: short, no exception text, no stack, not the "something went wrong" of a crash. */
function expectClearRefusal(result: unknown) {
  const r = result as { ok?: unknown; code?: unknown; message?: unknown };
  expect(r.ok, JSON.stringify(r).slice(0, 300)).toBe(false);
  expect(typeof r.message).toBe("string");
  const message = r.message as string;
  expect(message.length).toBeGreaterThan(0);
  expect(message.length).toBeLessThan(400);
  expect(message).not.toMatch(/\n\s+at |Error:|prisma|invalid input syntax|constraint|undefined|\[object Object\]|ZodError|Expected/i);
  expect(r.code).not.toBe("UNEXPECTED");
  // The garbage is not echoed back into the message.
  expect(message).not.toContain("<script>");
  expect(message).not.toContain(HUGE.slice(0, 1000));
}

async function tablesStillThere() {
  const { db } = await import("@/lib/db");
  const rows = await db.$queryRaw<
    { t: string | null }[]
  >`SELECT to_regclass('"Course"')::text AS t UNION ALL SELECT to_regclass('"Skill"')::text UNION ALL SELECT to_regclass('"User"')::text`;
  expect(rows.every((r) => r.t !== null)).toBe(true);
}

const connectorActions = () => import("@/app/(app)/p/[platformId]/connector/actions");
const courseActions = () => import("@/app/(app)/p/[platformId]/courses/actions");
const syncActions = () => import("@/app/(app)/p/[platformId]/syncs/actions");
const unmatchedActions = () => import("@/app/(app)/p/[platformId]/unmatched/actions");
const notificationActions = () => import("@/app/(app)/notifications/actions");
const alertSettingsActions = () => import("@/app/(app)/settings/alerts/actions");
const platformActions = () => import("@/app/(app)/p/[platformId]/actions");
const platformsActions = () => import("@/app/(app)/platforms/actions");

interface Case {
  action: string;
  caller: "admin" | "csm";
  call: (value: unknown) => Promise<unknown>;
  /** Values this field legitimately accepts: checked separately. */
  accepts?: (value: unknown) => boolean;
  /** Detaching what is not attached is an idempotent no-op: `{ ok: true, removed: false }`, nothing written. */
  noop?: boolean;
}

const anyCall = <T>(fn: T) => fn as unknown as (...args: unknown[]) => Promise<unknown>;
const valid = () => ({ courseId: w.courseId });

const CASES: Case[] = [
  // The platform id itself.
  ...(
    [
      "enableConnectorAction",
      "disableConnectorAction",
      "moveSyncGroupAction",
      "undoSyncGroupMoveAction",
      "testConnectionAction",
      "saveCredentialsAction",
      "saveScheduleAction",
      "previewImportSelectionAction",
      "saveImportSelectionAction",
    ] as const
  ).map((name): Case => ({
    action: `${name}(platformId)`,
    caller: "csm",
    call: async (v) =>
      anyCall((await connectorActions())[name])(v, {
        groupId: w.groupId,
        auditId: "no-such-entry",
        impact: "reviewed",
        orgId: "org",
        clientId: "c",
        clientSecret: "s",
        timeZone: "Europe/Paris",
        catalogueTime: "06:00",
        statisticsTime: "",
        staleAfterHours: "36",
      }),
  })),
  ...(["attachSkillAction", "acceptSuggestionAction", "detachSkillAction", "bulkSkillsAction"] as const).map((name): Case => ({
    action: `${name}(platformId)`,
    caller: "admin",
    call: async (v) =>
      anyCall((await courseActions())[name])(v, {
        courseId: w.courseId,
        name: "Python",
        skillId: w.skillId,
        courseIds: [w.courseId],
        names: ["Python"],
        mode: "attach",
      }),
  })),
  {
    action: "unlockAccountAction(platformId)",
    caller: "admin",
    call: async (v) => anyCall((await platformActions()).unlockAccountAction)(v, { userId: w.learner }),
  },
  {
    action: "unlockAccountAction.userId",
    caller: "admin",
    call: async (v) => (await platformActions()).unlockAccountAction(w.platformId, { userId: v as string }),
  },
  {
    action: "unlockAccountAction(input)",
    caller: "admin",
    call: async (v) => anyCall((await platformActions()).unlockAccountAction)(w.platformId, v),
  },
  {
    action: "unlockStaffAccountAction.userId",
    caller: "csm",
    call: async (v) => (await platformsActions()).unlockStaffAccountAction({ userId: v as string }),
  },
  {
    action: "unlockStaffAccountAction(input)",
    caller: "csm",
    call: async (v) => anyCall((await platformsActions()).unlockStaffAccountAction)(v),
  },
  {
    action: "syncNowAction(platformId)",
    caller: "admin",
    call: async (v) => anyCall((await syncActions()).syncNowAction)(v, { kind: "CATALOGUE" }),
  },
  {
    action: "linkIdentityAction(platformId)",
    caller: "admin",
    call: async (v) => anyCall((await unmatchedActions()).linkIdentityAction)(v, { identityKey: "a@b.test", userId: w.learner }),
  },
  // Whole inputs of the wrong shape.
  ...(
    [
      ["enableConnectorAction", connectorActions, "csm"],
      ["moveSyncGroupAction", connectorActions, "csm"],
      ["undoSyncGroupMoveAction", connectorActions, "csm"],
      ["testConnectionAction", connectorActions, "admin"],
      ["saveCredentialsAction", connectorActions, "admin"],
      ["saveScheduleAction", connectorActions, "admin"],
      ["previewImportSelectionAction", connectorActions, "admin"],
      ["saveImportSelectionAction", connectorActions, "admin"],
      ["attachSkillAction", courseActions, "admin"],
      ["acceptSuggestionAction", courseActions, "admin"],
      ["detachSkillAction", courseActions, "admin"],
      ["bulkSkillsAction", courseActions, "admin"],
      ["syncNowAction", syncActions, "admin"],
      ["decideHeldRetirementsAction", syncActions, "admin"],
      ["linkIdentityAction", unmatchedActions, "admin"],
      ["dismissIdentityAction", unmatchedActions, "admin"],
    ] as const
  ).map(([name, load, caller]): Case => ({
    action: `${name}(input)`,
    caller,
    call: async (v) => anyCall((await load())[name as keyof Awaited<ReturnType<typeof load>>])(w.platformId, v),
  })),
  // Each field.
  {
    action: "enableConnectorAction.groupId",
    caller: "csm",
    call: async (v) => (await connectorActions()).enableConnectorAction(w.platformId, { groupId: v as string }),
  },
  {
    action: "moveSyncGroupAction.groupId",
    caller: "csm",
    call: async (v) => (await connectorActions()).moveSyncGroupAction(w.platformId, { groupId: v as string, impact: "reviewed" }),
  },
  {
    action: "moveSyncGroupAction.impact",
    caller: "csm",
    call: async (v) => (await connectorActions()).moveSyncGroupAction(w.platformId, { groupId: w.otherGroupId, impact: v as string }),
  },
  {
    action: "undoSyncGroupMoveAction.auditId",
    caller: "csm",
    call: async (v) => (await connectorActions()).undoSyncGroupMoveAction(w.platformId, { auditId: v as string, impact: "reviewed" }),
  },
  {
    action: "undoSyncGroupMoveAction.impact",
    caller: "csm",
    call: async (v) => (await connectorActions()).undoSyncGroupMoveAction(w.platformId, { auditId: w.moveAuditId, impact: v as string }),
  },
  ...(["orgId", "clientId", "clientSecret"] as const).flatMap((field): Case[] => [
    {
      action: `testConnectionAction.${field}`,
      caller: "admin",
      call: async (v) =>
        (await connectorActions()).testConnectionAction(w.platformId, {
          orgId: "some-org",
          clientId: "some-client",
          clientSecret: "some-secret",
          [field]: v,
        }),
    },
    {
      action: `saveCredentialsAction.${field}`,
      caller: "admin",
      call: async (v) =>
        (await connectorActions()).saveCredentialsAction(w.platformId, {
          orgId: "some-org",
          clientId: "some-client",
          clientSecret: "some-secret",
          [field]: v,
        }),
    },
  ]),
  ...(["timeZone", "catalogueTime", "statisticsTime", "staleAfterHours"] as const).map((field): Case => ({
    action: `saveScheduleAction.${field}`,
    caller: "admin",
    call: async (v) =>
      (await connectorActions()).saveScheduleAction(w.platformId, {
        timeZone: "",
        catalogueTime: "",
        statisticsTime: "",
        staleAfterHours: "36",
        [field]: v,
      }),
    // Blank is a legitimate value of the zone and the times (the platform's zone, the default time).
    accepts: (v) => field !== "staleAfterHours" && typeof v === "string" && v.trim() === "",
  })),
  // A person's own alerts (no platform id).
  {
    action: "markNotificationReadAction(input)",
    caller: "admin",
    call: async (v) => anyCall((await notificationActions()).markNotificationReadAction)(v),
  },
  {
    action: "markNotificationReadAction.notificationId",
    caller: "admin",
    call: async (v) => (await notificationActions()).markNotificationReadAction({ notificationId: v as string }),
  },
  {
    action: "markAllNotificationsReadAction(input)",
    caller: "csm",
    call: async (v) => anyCall((await notificationActions()).markAllNotificationsReadAction)(v),
  },
  {
    action: "markAllNotificationsReadAction.upTo",
    caller: "csm",
    call: async (v) => (await notificationActions()).markAllNotificationsReadAction({ upTo: v as string }),
  },
  {
    action: "saveAlertPreferencesAction(input)",
    caller: "admin",
    call: async (v) => anyCall((await alertSettingsActions()).saveAlertPreferencesAction)(v),
  },
  {
    action: "saveAlertPreferencesAction.preferences",
    caller: "csm",
    call: async (v) => anyCall((await alertSettingsActions()).saveAlertPreferencesAction)({ preferences: v }),
  },
  ...(["kind", "inApp", "email"] as const).map((field): Case => ({
    action: `saveAlertPreferencesAction.${field}`,
    caller: "admin",
    call: async (v) =>
      anyCall((await alertSettingsActions()).saveAlertPreferencesAction)({
        preferences: [{ kind: "STALE", inApp: true, email: false, [field]: v }],
      }),
    accepts: (v) => field !== "kind" && typeof v === "boolean",
  })),
  {
    action: "saveCredentialsAction.allowSharedOrg",
    caller: "admin",
    call: async (v) =>
      (await connectorActions()).saveCredentialsAction(w.platformId, {
        orgId: "some-org",
        clientId: "some-client",
        clientSecret: "some-secret",
        allowSharedOrg: v as boolean,
      }),
  },
  {
    action: "attachSkillAction.courseId",
    caller: "admin",
    call: async (v) => (await courseActions()).attachSkillAction(w.platformId, { courseId: v as string, name: "Python" }),
  },
  {
    action: "attachSkillAction.name",
    caller: "admin",
    call: async (v) => (await courseActions()).attachSkillAction(w.platformId, { ...valid(), name: v as string }),
    accepts: (v) => v === UNICODE[1] || v === UNICODE[2],
  },
  {
    action: "acceptSuggestionAction.courseId",
    caller: "admin",
    call: async (v) => (await courseActions()).acceptSuggestionAction(w.platformId, { courseId: v as string, name: "Python" }),
  },
  {
    action: "acceptSuggestionAction.name",
    caller: "admin",
    call: async (v) => (await courseActions()).acceptSuggestionAction(w.platformId, { ...valid(), name: v as string }),
  },
  {
    action: "detachSkillAction.courseId",
    caller: "admin",
    call: async (v) => (await courseActions()).detachSkillAction(w.platformId, { courseId: v as string, skillId: w.skillId }),
    noop: true,
  },
  {
    action: "detachSkillAction.skillId",
    caller: "admin",
    call: async (v) => (await courseActions()).detachSkillAction(w.platformId, { ...valid(), skillId: v as string }),
    noop: true,
  },
  {
    action: "bulkSkillsAction.courseIds",
    caller: "admin",
    call: async (v) =>
      (await courseActions()).bulkSkillsAction(w.platformId, { courseIds: [v as string], names: ["Python"], mode: "attach" }),
  },
  {
    action: "bulkSkillsAction.courseIds (not a list)",
    caller: "admin",
    call: async (v) =>
      (await courseActions()).bulkSkillsAction(w.platformId, { courseIds: v as string[], names: ["Python"], mode: "attach" }),
  },
  {
    action: "bulkSkillsAction.names",
    caller: "admin",
    call: async (v) =>
      (await courseActions()).bulkSkillsAction(w.platformId, { courseIds: [w.courseId], names: [v as string], mode: "attach" }),
    accepts: (v) => v === UNICODE[1] || v === UNICODE[2],
  },
  {
    action: "bulkSkillsAction.mode",
    caller: "admin",
    call: async (v) =>
      (await courseActions()).bulkSkillsAction(w.platformId, { courseIds: [w.courseId], names: ["Python"], mode: v as "attach" }),
  },
  {
    action: "syncNowAction.kind",
    caller: "admin",
    call: async (v) => (await syncActions()).syncNowAction(w.platformId, { kind: v as "CATALOGUE" }),
  },
  {
    action: "decideHeldRetirementsAction.runId",
    caller: "admin",
    call: async (v) => anyCall((await syncActions()).decideHeldRetirementsAction)(w.platformId, { runId: v, decision: "apply" }),
  },
  {
    action: "decideHeldRetirementsAction.decision",
    caller: "admin",
    call: async (v) => anyCall((await syncActions()).decideHeldRetirementsAction)(w.platformId, { runId: w.runId, decision: v }),
  },
  {
    action: "linkIdentityAction.identityKey",
    caller: "admin",
    call: async (v) => (await unmatchedActions()).linkIdentityAction(w.platformId, { identityKey: v as string, userId: w.learner }),
  },
  {
    action: "linkIdentityAction.userId",
    caller: "admin",
    call: async (v) =>
      (await unmatchedActions()).linkIdentityAction(w.platformId, { identityKey: "nobody@bad-input.test", userId: v as string }),
  },
  {
    action: "dismissIdentityAction.identityKey",
    caller: "admin",
    call: async (v) => (await unmatchedActions()).dismissIdentityAction(w.platformId, { identityKey: v as string }),
  },
];

describe("server actions refuse bad input cleanly and store nothing half-way", () => {
  it("covers every exported action of every actions.ts", async () => {
    const { readdirSync, readFileSync, statSync } = await import("node:fs");
    const path = await import("node:path");
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n)) : [path.join(dir, n)]));
    const exported = walk(path.join(process.cwd(), "app"))
      .filter((f) => f.endsWith("actions.ts"))
      .flatMap((f) => [...readFileSync(f, "utf8").matchAll(/^export async function (\w+)/gm)].map((m) => m[1]));
    const covered = new Set(CASES.map((c) => c.action.split(/[.(]/)[0]));
    expect(exported.filter((name) => !covered.has(name))).toEqual([]);
  });

  for (const c of CASES) {
    it.each(GARBAGE.filter(([, v]) => !c.accepts?.(v)))(`${c.action} ← %s`, async (_label, value) => {
      actAs(c.caller === "admin" ? w.admin : w.csm);
      const before = await snapshot();
      const result = await c.call(value);
      if (c.noop && (result as { ok?: boolean }).ok) expect(result).toEqual({ ok: true, removed: false });
      else expectClearRefusal(result);
      expect(await snapshot()).toEqual(before);
    });
  }

  it.each([
    ["RTL", UNICODE[1]],
    ["combining marks", UNICODE[2]],
    ["Devanagari", "हिन्दी लेखन"],
    ["SQL-looking", "SQL' OR 1 -- x"],
    ["HTML-looking text", "R&D (C++ / UI.UX)"],
  ])("a legitimate %s skill name is stored verbatim, as text", async (_label, name) => {
    actAs(w.admin);
    const { db } = await import("@/lib/db");
    const result = await (await courseActions()).attachSkillAction(w.platformId, { courseId: w.courseId, name });
    expect(result).toMatchObject({ ok: true, added: true, skill: { name: name.normalize("NFC") } });
    const stored = await db.skill.findFirstOrThrow({ where: { platformId: w.platformId, name: name.normalize("NFC") } });
    expect(stored.name).toBe(name.normalize("NFC"));
    expect(await db.courseSkill.count({ where: { courseId: w.courseId, skillId: stored.id } })).toBe(1);
    // The same name again is the same skill, not a second row.
    expect(await (await courseActions()).attachSkillAction(w.platformId, { courseId: w.courseId, name })).toMatchObject({
      ok: true,
      added: false,
    });
    expect(await db.skill.count({ where: { platformId: w.platformId, name: name.normalize("NFC") } })).toBe(1);
    await tablesStillThere();
  });

  it("the SQL-looking and script values left every table in place", async () => {
    await tablesStillThere();
    const { db } = await import("@/lib/db");
    expect(await db.course.count({ where: { platformId: w.platformId } })).toBe(1);
    expect(await db.skill.count({ where: { platformId: w.platformId, name: { contains: "<" } } })).toBe(0);
  });
});

// ─── route handlers ──────────────────────────────────────────────────────
const req = (url: string, init?: RequestInit) => new Request(`http://localhost${url}`, init);
const START_POST: RequestInit = { method: "POST", headers: { origin: "http://localhost", "sec-fetch-site": "same-origin" } };
const ctx = <P extends Record<string, string>>(params: P) => ({ params: Promise.resolve(params) });
const QUERY_VALUES: [string, string][] = STRINGS.filter(([label]) => label !== "empty").concat([
  ["percent garbage", "%00%ff%"],
  ["number-ish", "-1e309"],
]);
/** encodeURIComponent, except that a lone surrogate (which it refuses) is sent as the bytes a careless client would send. */
const q = (v: string) =>
  [...v]
    .map((c) => {
      try {
        return encodeURIComponent(c);
      } catch {
        const n = c.charCodeAt(0);
        return [0xe0 | (n >> 12), 0x80 | ((n >> 6) & 0x3f), 0x80 | (n & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join("");
      }
    })
    .join("");

async function expectNoCrash(response: Response, allowed: number[]) {
  expect(allowed, `status ${response.status}`).toContain(response.status);
  const text = await response.text();
  expect(text).not.toMatch(/\n\s+at |prisma|invalid input syntax|TypeError/i);
  expect(text).not.toContain("<script>alert(1)</script>");
}

describe("route handlers answer garbage with 200/4xx, never 500", () => {
  it.each(QUERY_VALUES)("query value: %s", async (_label, value) => {
    actAs(w.admin);
    const p = { platformId: w.platformId };
    const skills = await import("@/app/api/platforms/[platformId]/skills/route");
    await expectNoCrash(await skills.GET(req(`/?q=${q(value)}`), ctx(p)), [200, 400]);
    const users = await import("@/app/api/platforms/[platformId]/users/route");
    await expectNoCrash(await users.GET(req(`/?q=${q(value)}`), ctx(p)), [200, 400]);
    const overview = await import("@/app/api/platforms/[platformId]/overview/route");
    await expectNoCrash(await overview.GET(req(`/?q=${q(value)}&days=${q(value)}`), ctx(p)), [200, 400]);
    const statistics = await import("@/app/api/platforms/[platformId]/statistics/route");
    const statisticsParams = ["view", "q", "course", "status", "page"].map((k) => `${k}=${q(value)}`).join("&");
    await expectNoCrash(await statistics.GET(req(`/?${statisticsParams}`), ctx(p)), [200]);
    const exportRoute = await import("@/app/api/platforms/[platformId]/statistics/export/route");
    const params = ["q", "status", "courseId", "groupId", "from", "to", "sort", "page", "order"].map((k) => `${k}=${q(value)}`).join("&");
    await expectNoCrash(await exportRoute.GET(req(`/?${params}`), ctx(p)), [200, 400]);
    const auditExport = await import("@/app/api/platforms/[platformId]/audit/export/route");
    const auditParams = ["q", "action", "actor", "from", "to", "page"].map((k) => `${k}=${q(value)}`).join("&");
    await expectNoCrash(await auditExport.GET(req(`/?${auditParams}`), ctx(p)), [200, 400]);
    const runs = await import("@/app/api/platforms/[platformId]/syncs/route");
    await expectNoCrash(await runs.GET(req(`/?kind=${q(value)}`), ctx(p)), [200, 400]);
    const run = await import("@/app/api/platforms/[platformId]/syncs/[runId]/route");
    await expectNoCrash(await run.GET(req(`/?since=${q(value)}`), ctx({ ...p, runId: value })), [200, 400, 404]);
    await expectNoCrash(await run.GET(req("/"), ctx({ ...p, runId: w.runId })), [200]);
    actAs(w.csm);
    const preview = await import("@/app/api/platforms/[platformId]/groups/preview/route");
    await expectNoCrash(await preview.GET(req(`/?groupId=${q(value)}`), ctx(p)), [200, 400, 404]);
    const moveImpact = await import("@/app/api/platforms/[platformId]/groups/move-impact/route");
    await expectNoCrash(await moveImpact.GET(req(`/?groupId=${q(value)}`), ctx(p)), [200, 400, 404]);
    await expectNoCrash(await moveImpact.GET(req(`/?undo=${q(value)}`), ctx(p)), [400, 409]);
    const fleet = await import("@/app/api/fleet/route");
    const fleetParams = ["q", "trouble", "staleHours", "sort", "dir", "page"].map((k) => `${k}=${q(value)}`).join("&");
    await expectNoCrash(await fleet.GET(req(`/?${fleetParams}`)), [200]);
    // A garbage platform id is a refusal (or, for a CSM who may see every platform, an empty answer), not a crash.
    await expectNoCrash(await skills.GET(req("/?q=a"), ctx({ platformId: value })), [200, 400, 403, 404]);
  });

  it.each(QUERY_VALUES)("START with a garbage course id or session id: %s", async (_label, value) => {
    actAs(w.learner);
    const { db } = await import("@/lib/db");
    const before = await db.courseLaunch.count({ where: { userId: w.learner } }).catch(() => null);
    const start = await import("@/app/(app)/learn/courses/[courseId]/start/route");
    await expectNoCrash(await start.POST(req("/", START_POST), ctx({ courseId: value })), [404]);
    await expectNoCrash(await start.POST(req(`/?session=${q(value)}`, START_POST), ctx({ courseId: value })), [404]);
    const withSession = await start.POST(req(`/?session=${q(value)}`, START_POST), ctx({ courseId: w.courseId }));
    expect([303, 404, 409], `status ${withSession.status}`).toContain(withSession.status);
    if (withSession.status === 303) expect(withSession.headers.get("location")).toBe("https://www.coursera.org/programs/p?productId=x");
    if (before !== null) expect(await db.courseLaunch.count({ where: { userId: w.learner } })).toBeLessThanOrEqual(before + 1);
  });
});

// ─── pages ───────────────────────────────────────────────────────────────
/**
 * Every page (and the layouts that read ids) rendered by its own function, as
 * Next.js calls it, with garbage in each path parameter and in every search
 * parameter a page reads. The page may answer (filters ignored or cut), or
 * answer 404 / redirect; it never throws anything else (a 500).
 */
type PageModule = { default: (props: never) => unknown; generateMetadata?: (props: never) => unknown };
const SEARCH_KEYS = [
  "q",
  "type",
  "source",
  "language",
  "level",
  "skill",
  "noSkills",
  "status",
  "sort",
  "dir",
  "page",
  "size",
  "view",
].concat(["course", "action", "actor", "from", "to", "kind", "session", "callbackUrl", "error"]);

async function renderOutcome(load: () => Promise<PageModule>, props: Record<string, unknown>): Promise<string> {
  const mod = await load();
  const wrapped = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, Promise.resolve(v)])) as never;
  try {
    if (mod.generateMetadata) await mod.generateMetadata(wrapped);
    await mod.default({ ...(wrapped as object), children: null } as never);
    return "rendered";
  } catch (error) {
    const digest = String((error as { digest?: unknown })?.digest ?? "");
    if (digest.startsWith("NEXT_REDIRECT")) return "redirect";
    if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;404")) return "not found";
    throw error;
  }
}

const PAGES: {
  name: string;
  caller: "admin" | "csm" | "learner";
  load: () => Promise<PageModule>;
  params: () => Record<string, string>;
  /** What the page answers with valid path parameters (a session the learner is not enrolled in is a 404). */
  outcome?: string;
}[] = [
  {
    name: "platform layout",
    caller: "csm",
    load: () => import("@/app/(app)/p/[platformId]/layout"),
    params: () => ({ platformId: w.platformId }),
  },
  { name: "overview", caller: "csm", load: () => import("@/app/(app)/p/[platformId]/page"), params: () => ({ platformId: w.platformId }) },
  {
    name: "connector",
    caller: "csm",
    load: () => import("@/app/(app)/p/[platformId]/connector/page"),
    params: () => ({ platformId: w.platformId }),
  },
  {
    name: "courses",
    caller: "admin",
    load: () => import("@/app/(app)/p/[platformId]/courses/page"),
    params: () => ({ platformId: w.platformId }),
  },
  {
    name: "course",
    caller: "admin",
    load: () => import("@/app/(app)/p/[platformId]/courses/[courseId]/page"),
    params: () => ({ platformId: w.platformId, courseId: w.courseId }),
  },
  {
    name: "statistics",
    caller: "admin",
    load: () => import("@/app/(app)/p/[platformId]/statistics/page"),
    params: () => ({ platformId: w.platformId }),
  },
  {
    name: "syncs",
    caller: "admin",
    load: () => import("@/app/(app)/p/[platformId]/syncs/page"),
    params: () => ({ platformId: w.platformId }),
  },
  {
    name: "sync run",
    caller: "admin",
    load: () => import("@/app/(app)/p/[platformId]/syncs/[runId]/page"),
    params: () => ({ platformId: w.platformId, runId: w.runId }),
  },
  {
    name: "unmatched",
    caller: "admin",
    load: () => import("@/app/(app)/p/[platformId]/unmatched/page"),
    params: () => ({ platformId: w.platformId }),
  },
  {
    name: "audit",
    caller: "admin",
    load: () => import("@/app/(app)/p/[platformId]/audit/page"),
    params: () => ({ platformId: w.platformId }),
  },
  { name: "platforms", caller: "csm", load: () => import("@/app/(app)/platforms/page"), params: () => ({}) },
  { name: "fleet", caller: "csm", load: () => import("@/app/(app)/fleet/page"), params: () => ({}) },
  { name: "learn", caller: "learner", load: () => import("@/app/(app)/learn/page"), params: () => ({}) },
  {
    name: "learn course",
    caller: "learner",
    load: () => import("@/app/(app)/learn/courses/[courseId]/page"),
    params: () => ({ courseId: w.courseId }),
  },
  { name: "learn sessions", caller: "learner", load: () => import("@/app/(app)/learn/sessions/page"), params: () => ({}) },
  {
    name: "learn session",
    caller: "learner",
    load: () => import("@/app/(app)/learn/sessions/[sessionId]/page"),
    params: () => ({ sessionId: "none" }),
    outcome: "not found",
  },
];
const PAGE_VALUES: [string, string][] = STRINGS.filter(([label]) => label !== "empty").concat([["percent garbage", "%00%ff%"]]);

describe("pages answer garbage in their path and search parameters without a 500", () => {
  for (const page of PAGES) {
    it.each(PAGE_VALUES)(`${page.name} ← %s`, async (_label, value) => {
      actAs(page.caller === "admin" ? w.admin : page.caller === "csm" ? w.csm : w.learner);
      const params = page.params();
      // Each path parameter in turn, then every search parameter at once, then each one alone.
      for (const key of Object.keys(params)) {
        expect(await renderOutcome(page.load, { params: { ...params, [key]: value }, searchParams: {} })).toMatch(
          /rendered|not found|redirect/,
        );
      }
      const all = Object.fromEntries(SEARCH_KEYS.map((k) => [k, value]));
      expect(await renderOutcome(page.load, { params, searchParams: all })).toBe(page.outcome ?? "rendered");
      for (const key of SEARCH_KEYS) {
        expect(await renderOutcome(page.load, { params, searchParams: { [key]: [value, "x"] } })).toBe(page.outcome ?? "rendered");
      }
    });
  }
});
