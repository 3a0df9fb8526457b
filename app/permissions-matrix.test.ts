import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/generated/prisma/enums";

/**
 * The permissions matrix: every server action and every route handler of the
 * app, called as signed-out, learner, admin of the same platform, admin of
 * another platform and CSM, with the target platform's ids — and the cells
 * where a caller smuggles another platform's ids into its own platform's call.
 *
 * The list of endpoints is read from the source tree (every exported function
 * of an `actions.ts`, every exported HTTP method of a `route.ts`), and the test
 * fails when one has no row below: a new endpoint cannot be forgotten.
 *
 * The one mock is the edge that cannot run outside Next.js: next-auth's
 * getServerSession (we hand it the session of the caller of each cell) and
 * next/cache's revalidatePath (no Next.js cache here). Everything else is the
 * real action or route against the real database.
 */

const session = vi.hoisted(() => ({ current: null as null | { user: { id: string } } }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), getServerSession: async () => session.current }));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const ROOT = process.cwd();
type Caller = "signedOut" | "learner" | "admin" | "otherAdmin" | "csm";
const CALLERS: Caller[] = ["signedOut", "learner", "admin", "otherAdmin", "csm"];

// ─── discovery ─────────────────────────────────────────────────────────────
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

function discoverEndpoints(): string[] {
  const keys: string[] = [];
  for (const file of walk(path.join(ROOT, "app"))) {
    const rel = path.relative(ROOT, file);
    const source = readFileSync(file, "utf8");
    if (rel.endsWith("actions.ts")) {
      for (const [, name] of source.matchAll(/^export async function (\w+)/gm)) keys.push(`${rel}#${name}`);
    } else if (/route\.tsx?$/.test(rel)) {
      for (const [, name] of source.matchAll(/^export (?:async function|const|function) (GET|POST|PUT|PATCH|DELETE)\b/gm))
        keys.push(`${rel}#${name}`);
      for (const [, names] of source.matchAll(/^export (?:const|let) \{([^}]*)\}/gm)) {
        for (const name of names.split(",").map((n) =>
          n
            .trim()
            .split(/\s+as\s+/)
            .pop()!
            .trim(),
        )) {
          if (/^(GET|POST|PUT|PATCH|DELETE)$/.test(name)) keys.push(`${rel}#${name}`);
        }
      }
      for (const [, names] of source.matchAll(/^export \{([^}]*)\}/gm)) {
        for (const name of names.split(",").map((n) =>
          n
            .trim()
            .split(/\s+as\s+/)
            .pop()!
            .trim(),
        )) {
          if (/^(GET|POST|PUT|PATCH|DELETE)$/.test(name)) keys.push(`${rel}#${name}`);
        }
      }
    }
  }
  return keys.sort();
}

// ─── the world the cells act on ───────────────────────────────────────────
type World = {
  platformA: string;
  platformB: string;
  users: Record<Exclude<Caller, "signedOut">, string>;
  groupA: string;
  groupB: string;
  courseA: string;
  courseB: string;
  skillB: string;
  runA: string;
  runB: string;
};
let world: World;

beforeAll(async () => {
  const { db } = await import("@/lib/db");
  const tag = randomUUID().slice(0, 8);
  const mk = async (name: string) => {
    const platform = await db.platform.create({ data: { name: `${name} ${tag}`, slug: `${name.toLowerCase()}-${tag}` } });
    const group = await db.group.create({ data: { platformId: platform.id, name: `${name} root`, isPublic: true } });
    const connector = await db.courseraConnector.create({ data: { platformId: platform.id, enabled: true, syncGroupId: group.id } });
    const course = await db.course.create({
      data: {
        platformId: platform.id,
        source: "COURSERA",
        courseraContentId: `c-${tag}`,
        title: `${name} course`,
        launchUrl: "http://127.0.0.1:9/none",
      },
    });
    const skill = await db.skill.create({
      data: { platformId: platform.id, name: `${name} skill`, nameKey: `${name.toLowerCase()} skill` },
    });
    await db.courseSkill.create({ data: { courseId: course.id, skillId: skill.id } });
    const run = await db.syncRun.create({
      data: { platformId: platform.id, connectorId: connector.id, kind: "CATALOGUE", trigger: "MANUAL", status: "SUCCEEDED" },
    });
    return { platform, group, course, skill, run };
  };
  const a = await mk("Alpha");
  const b = await mk("Beta");
  const user = async (role: Role, platformId: string | null, name: string) => {
    const u = await db.user.create({ data: { email: `${name}-${tag}@matrix.test`, name, role, platformId } });
    if (role === "LEARNER") await db.groupMembership.create({ data: { userId: u.id, groupId: a.group.id } });
    return u.id;
  };
  world = {
    platformA: a.platform.id,
    platformB: b.platform.id,
    users: {
      learner: await user("LEARNER", a.platform.id, "learner"),
      admin: await user("ADMIN", a.platform.id, "admin"),
      otherAdmin: await user("ADMIN", b.platform.id, "other-admin"),
      csm: await user("CSM", null, "csm"),
    },
    groupA: a.group.id,
    groupB: b.group.id,
    courseA: a.course.id,
    courseB: b.course.id,
    skillB: b.skill.id,
    runA: a.run.id,
    runB: b.run.id,
  };
});

afterAll(async () => (await import("@/lib/db")).disconnectDb());

function actAs(caller: Caller) {
  session.current = caller === "signedOut" ? null : { user: { id: world.users[caller] } };
}

// ─── outcomes ─────────────────────────────────────────────────────────────
type Outcome = "allowed" | "denied";

async function actionOutcome(result: unknown): Promise<Outcome> {
  const code = (result as { code?: string } | undefined)?.code;
  return code === "UNAUTHENTICATED" || code === "FORBIDDEN" ? "denied" : "allowed";
}

async function routeOutcome(response: Response): Promise<Outcome> {
  if ([401, 403, 404].includes(response.status)) return "denied";
  const location = response.headers.get("location") ?? "";
  if (response.status >= 300 && response.status < 400 && location.startsWith("/sign-in")) return "denied";
  return "allowed";
}

const ctx = <P extends Record<string, string>>(params: P) => ({ params: Promise.resolve(params) });
const req = (url: string, init?: RequestInit) => new Request(`http://localhost${url}`, init);
/** START as our own course page posts it (a POST from another origin is refused before any role check: app/start-route.test.ts). */
const START_POST: RequestInit = { method: "POST", headers: { origin: "http://localhost", "sec-fetch-site": "same-origin" } };

type Row = {
  /** Who gets through the gate with the target platform's (A's) ids. */
  allowed: Caller[] | "public";
  call: (w: World) => Promise<Outcome>;
  /** Callers who are allowed on their own platform but pass another platform's ids. */
  crossIds?: { caller: Caller; call: (w: World) => Promise<Outcome> }[];
};

const ADMINS: Caller[] = ["admin", "csm"];
const connectorActions = () => import("@/app/(app)/p/[platformId]/connector/actions");
const courseActions = () => import("@/app/(app)/p/[platformId]/courses/actions");
const syncActions = () => import("@/app/(app)/p/[platformId]/syncs/actions");
const unmatchedActions = () => import("@/app/(app)/p/[platformId]/unmatched/actions");
const notificationActions = () => import("@/app/(app)/notifications/actions");
const blankCredentials = { orgId: "", clientId: "", clientSecret: "" };
const platformActions = () => import("@/app/(app)/p/[platformId]/actions");
const platformsActions = () => import("@/app/(app)/platforms/actions");

/** An unread notification of `userId` about an incident on platform A. */
async function notificationOf(w: World, userId: string): Promise<string> {
  const { db } = await import("@/lib/db");
  const connector = await db.courseraConnector.findUniqueOrThrow({ where: { platformId: w.platformA } });
  const incident = await db.alertIncident.create({
    data: {
      platformId: w.platformA,
      connectorId: connector.id,
      kind: "STALE",
      scope: "CATALOGUE",
      summary: "Stale.",
      path: "/",
      resolvedAt: new Date(),
    },
  });
  const notification = await db.alertNotification.create({ data: { incidentId: incident.id, userId, event: "OPENED" } });
  return notification.id;
}

const MATRIX: Record<string, Row> = {
  "app/(app)/p/[platformId]/actions.ts#unlockAccountAction": {
    allowed: ADMINS,
    call: async (w) => actionOutcome(await (await platformActions()).unlockAccountAction(w.platformA, { userId: w.users.learner })),
    crossIds: [
      {
        // Another platform's user cannot be unlocked through this platform.
        caller: "admin",
        call: async (w) => notFoundOrInvalid((await platformActions()).unlockAccountAction(w.platformA, { userId: w.users.otherAdmin })),
      },
    ],
  },
  "app/(app)/platforms/actions.ts#unlockStaffAccountAction": {
    allowed: ["csm"],
    call: async (w) => actionOutcome(await (await platformsActions()).unlockStaffAccountAction({ userId: w.users.csm })),
    crossIds: [
      {
        // A platform's user is not a staff account.
        caller: "csm",
        call: async (w) => notFoundOrInvalid((await platformsActions()).unlockStaffAccountAction({ userId: w.users.admin })),
      },
    ],
  },
  "app/(app)/p/[platformId]/connector/actions.ts#enableConnectorAction": {
    allowed: ["csm"],
    call: async (w) => actionOutcome(await (await connectorActions()).enableConnectorAction(w.platformA, { groupId: w.groupA })),
  },
  "app/(app)/p/[platformId]/connector/actions.ts#disableConnectorAction": {
    allowed: ["csm"],
    call: async (w) => {
      const outcome = await actionOutcome(await (await connectorActions()).disableConnectorAction(w.platformA));
      // Put the connector back so later cells (a learner starting a Coursera course) still see it.
      const { db } = await import("@/lib/db");
      await db.courseraConnector.update({ where: { platformId: w.platformA }, data: { enabled: true, syncGroupId: w.groupA } });
      return outcome;
    },
  },
  "app/(app)/p/[platformId]/connector/actions.ts#moveSyncGroupAction": {
    allowed: ["csm"],
    call: async (w) =>
      actionOutcome(await (await connectorActions()).moveSyncGroupAction(w.platformA, { groupId: w.groupA, impact: "reviewed" })),
    crossIds: [
      {
        caller: "csm",
        call: async (w) =>
          await notFoundOrInvalid((await connectorActions()).moveSyncGroupAction(w.platformA, { groupId: w.groupB, impact: "reviewed" })),
      },
    ],
  },
  "app/(app)/p/[platformId]/connector/actions.ts#undoSyncGroupMoveAction": {
    allowed: ["csm"],
    call: async (w) =>
      actionOutcome(
        await (await connectorActions()).undoSyncGroupMoveAction(w.platformA, { auditId: "no-such-entry", impact: "reviewed" }),
      ),
    crossIds: [
      {
        // Beta's last move, undone through Alpha's page: refused, and Beta's group stays where it is.
        caller: "csm",
        call: async (w) => {
          const { db } = await import("@/lib/db");
          const other = await db.group.create({ data: { platformId: w.platformB, name: "Beta other" } });
          const move = await db.auditLog.create({
            data: {
              platformId: w.platformB,
              action: "connector.sync_group_changed",
              targetType: "Group",
              targetId: w.groupB,
              details: { fromGroupId: other.id },
            },
          });
          const outcome = await notFoundOrInvalid(
            (await connectorActions()).undoSyncGroupMoveAction(w.platformA, { auditId: move.id, impact: "reviewed" }),
          );
          const connector = await db.courseraConnector.findUniqueOrThrow({ where: { platformId: w.platformB } });
          return connector.syncGroupId === w.groupB ? outcome : "allowed";
        },
      },
    ],
  },
  "app/(app)/p/[platformId]/connector/actions.ts#testConnectionAction": {
    allowed: ADMINS,
    call: async (w) => actionOutcome(await (await connectorActions()).testConnectionAction(w.platformA, blankCredentials)),
  },
  "app/(app)/p/[platformId]/connector/actions.ts#saveCredentialsAction": {
    allowed: ADMINS,
    call: async (w) => actionOutcome(await (await connectorActions()).saveCredentialsAction(w.platformA, blankCredentials)),
  },
  "app/(app)/p/[platformId]/connector/actions.ts#saveScheduleAction": {
    allowed: ADMINS,
    call: async (w) =>
      actionOutcome(
        await (
          await connectorActions()
        ).saveScheduleAction(w.platformA, { timeZone: "Mars/Olympus", catalogueTime: "", statisticsTime: "", staleAfterHours: "36" }),
      ),
  },
  "app/(app)/p/[platformId]/connector/actions.ts#previewImportSelectionAction": {
    allowed: ADMINS,
    call: async (w) =>
      actionOutcome(
        await (
          await connectorActions()
        ).previewImportSelectionAction(w.platformA, { programIds: [], contentTypes: ["COURSE"], languages: [] }),
      ),
  },
  "app/(app)/p/[platformId]/connector/actions.ts#saveImportSelectionAction": {
    allowed: ADMINS,
    call: async (w) =>
      actionOutcome(
        await (
          await connectorActions()
        ).saveImportSelectionAction(w.platformA, {
          selection: { programIds: [], contentTypes: ["COURSE"], languages: [] },
          impact: "unreviewed",
        }),
      ),
  },
  "app/(app)/p/[platformId]/courses/actions.ts#attachSkillAction": {
    allowed: ADMINS,
    call: async (w) => actionOutcome(await (await courseActions()).attachSkillAction(w.platformA, { courseId: w.courseA, name: "" })),
    crossIds: [
      {
        caller: "admin",
        call: async (w) =>
          notFoundOrInvalid((await courseActions()).attachSkillAction(w.platformA, { courseId: w.courseB, name: "Smuggled" })),
      },
    ],
  },
  "app/(app)/p/[platformId]/courses/actions.ts#acceptSuggestionAction": {
    allowed: ADMINS,
    call: async (w) => actionOutcome(await (await courseActions()).acceptSuggestionAction(w.platformA, { courseId: w.courseA, name: "" })),
    crossIds: [
      {
        caller: "admin",
        call: async (w) =>
          notFoundOrInvalid((await courseActions()).acceptSuggestionAction(w.platformA, { courseId: w.courseB, name: "Smuggled" })),
      },
    ],
  },
  "app/(app)/p/[platformId]/courses/actions.ts#detachSkillAction": {
    allowed: ADMINS,
    call: async (w) => actionOutcome(await (await courseActions()).detachSkillAction(w.platformA, { courseId: w.courseA, skillId: "" })),
    crossIds: [
      {
        caller: "admin",
        // Beta's course carries Beta's skill: detaching it through Alpha's page must leave it in place.
        call: async (w) => {
          await (await courseActions()).detachSkillAction(w.platformA, { courseId: w.courseB, skillId: w.skillB });
          const { db } = await import("@/lib/db");
          const stillThere = await db.courseSkill.count({ where: { courseId: w.courseB, skillId: w.skillB } });
          return stillThere === 1 ? "denied" : "allowed";
        },
      },
    ],
  },
  "app/(app)/p/[platformId]/courses/actions.ts#bulkSkillsAction": {
    allowed: ADMINS,
    call: async (w) =>
      actionOutcome(await (await courseActions()).bulkSkillsAction(w.platformA, { courseIds: [], names: [], mode: "attach" })),
    crossIds: [
      {
        caller: "admin",
        call: async (w) =>
          notFoundOrInvalid(
            (await courseActions()).bulkSkillsAction(w.platformA, { courseIds: [w.courseB], names: ["Smuggled"], mode: "attach" }),
          ),
      },
    ],
  },
  "app/(app)/p/[platformId]/syncs/actions.ts#syncNowAction": {
    allowed: ADMINS,
    call: async (w) => actionOutcome(await (await syncActions()).syncNowAction(w.platformA, { kind: "BOGUS" as never })),
  },
  "app/(app)/p/[platformId]/syncs/actions.ts#decideHeldRetirementsAction": {
    allowed: ADMINS,
    call: async (w) =>
      actionOutcome(await (await syncActions()).decideHeldRetirementsAction(w.platformA, { runId: "", decision: "BOGUS" } as never)),
    crossIds: [
      {
        caller: "admin",
        call: async (w) =>
          notFoundOrInvalid((await syncActions()).decideHeldRetirementsAction(w.platformA, { runId: w.runB, decision: "apply" } as never)),
      },
    ],
  },
  "app/(app)/p/[platformId]/unmatched/actions.ts#linkIdentityAction": {
    allowed: ADMINS,
    call: async (w) => actionOutcome(await (await unmatchedActions()).linkIdentityAction(w.platformA, { identityKey: "", userId: "" })),
    crossIds: [
      {
        caller: "admin",
        call: async (w) =>
          notFoundOrInvalid(
            (await unmatchedActions()).linkIdentityAction(w.platformA, { identityKey: "x@y.test", userId: w.users.otherAdmin }),
          ),
      },
    ],
  },
  "app/(app)/p/[platformId]/unmatched/actions.ts#dismissIdentityAction": {
    allowed: ADMINS,
    call: async (w) => actionOutcome(await (await unmatchedActions()).dismissIdentityAction(w.platformA, { identityKey: "" })),
  },
  // A person's own alerts: every admin and CSM has them, on no platform; the ids are scoped to the caller.
  "app/api/notifications/route.ts#GET": {
    allowed: ["admin", "otherAdmin", "csm"],
    call: async () => routeOutcome(await (await import("@/app/api/notifications/route")).GET()),
  },
  "app/(app)/notifications/actions.ts#markNotificationReadAction": {
    allowed: ["admin", "otherAdmin", "csm"],
    call: async () =>
      actionOutcome(await (await notificationActions()).markNotificationReadAction({ notificationId: "no-such-notification" })),
    crossIds: [
      {
        caller: "admin",
        // The CSM's notification, marked through the admin's call: it must stay unread.
        call: async (w) => {
          const id = await notificationOf(w, w.users.csm);
          await (await notificationActions()).markNotificationReadAction({ notificationId: id });
          const { db } = await import("@/lib/db");
          return (await db.alertNotification.findUniqueOrThrow({ where: { id } })).readAt === null ? "denied" : "allowed";
        },
      },
    ],
  },
  "app/(app)/notifications/actions.ts#markAllNotificationsReadAction": {
    allowed: ["admin", "otherAdmin", "csm"],
    call: async () => actionOutcome(await (await notificationActions()).markAllNotificationsReadAction({ upTo: new Date().toISOString() })),
  },
  "app/(app)/settings/alerts/actions.ts#saveAlertPreferencesAction": {
    allowed: ["admin", "otherAdmin", "csm"],
    call: async () =>
      actionOutcome(await (await import("@/app/(app)/settings/alerts/actions")).saveAlertPreferencesAction({ preferences: [] })),
  },
  "app/api/platforms/[platformId]/overview/route.ts#GET": {
    allowed: ADMINS,
    call: async (w) =>
      routeOutcome(await (await import("@/app/api/platforms/[platformId]/overview/route")).GET(req("/"), ctx({ platformId: w.platformA }))),
  },
  "app/api/platforms/[platformId]/skills/route.ts#GET": {
    allowed: ADMINS,
    call: async (w) =>
      routeOutcome(
        await (await import("@/app/api/platforms/[platformId]/skills/route")).GET(req("/?q=a"), ctx({ platformId: w.platformA })),
      ),
  },
  "app/api/platforms/[platformId]/courses/route.ts#GET": {
    allowed: ADMINS,
    call: async (w) =>
      routeOutcome(
        await (await import("@/app/api/platforms/[platformId]/courses/route")).GET(req("/?q=a"), ctx({ platformId: w.platformA })),
      ),
  },
  "app/api/platforms/[platformId]/users/route.ts#GET": {
    allowed: ADMINS,
    call: async (w) =>
      routeOutcome(
        await (await import("@/app/api/platforms/[platformId]/users/route")).GET(req("/?q=a"), ctx({ platformId: w.platformA })),
      ),
  },
  "app/api/platforms/[platformId]/statistics/route.ts#GET": {
    allowed: ADMINS,
    call: async (w) =>
      routeOutcome(
        await (await import("@/app/api/platforms/[platformId]/statistics/route")).GET(req("/?q=a"), ctx({ platformId: w.platformA })),
      ),
  },
  "app/api/platforms/[platformId]/statistics/export/route.ts#GET": {
    allowed: ADMINS,
    call: async (w) =>
      routeOutcome(
        await (await import("@/app/api/platforms/[platformId]/statistics/export/route")).GET(req("/"), ctx({ platformId: w.platformA })),
      ),
  },
  "app/api/platforms/[platformId]/audit/export/route.ts#GET": {
    allowed: ADMINS,
    call: async (w) =>
      routeOutcome(
        await (await import("@/app/api/platforms/[platformId]/audit/export/route")).GET(req("/"), ctx({ platformId: w.platformA })),
      ),
  },
  "app/api/platforms/[platformId]/syncs/route.ts#GET": {
    allowed: ADMINS,
    call: async (w) =>
      routeOutcome(await (await import("@/app/api/platforms/[platformId]/syncs/route")).GET(req("/"), ctx({ platformId: w.platformA }))),
  },
  "app/api/platforms/[platformId]/syncs/[runId]/route.ts#GET": {
    allowed: ADMINS,
    call: async (w) =>
      routeOutcome(
        await (
          await import("@/app/api/platforms/[platformId]/syncs/[runId]/route")
        ).GET(req("/"), ctx({ platformId: w.platformA, runId: w.runA })),
      ),
    crossIds: [
      {
        caller: "admin",
        call: async (w) =>
          routeOutcome(
            await (
              await import("@/app/api/platforms/[platformId]/syncs/[runId]/route")
            ).GET(req("/"), ctx({ platformId: w.platformA, runId: w.runB })),
          ),
      },
    ],
  },
  "app/api/platforms/[platformId]/groups/preview/route.ts#GET": {
    allowed: ["csm"],
    call: async (w) =>
      routeOutcome(
        await (
          await import("@/app/api/platforms/[platformId]/groups/preview/route")
        ).GET(req(`/?groupId=${w.groupA}`), ctx({ platformId: w.platformA })),
      ),
  },
  "app/api/platforms/[platformId]/groups/move-impact/route.ts#GET": {
    allowed: ["csm"],
    call: async (w) =>
      routeOutcome(
        await (
          await import("@/app/api/platforms/[platformId]/groups/move-impact/route")
        ).GET(req(`/?groupId=${w.groupA}`), ctx({ platformId: w.platformA })),
      ),
    crossIds: [
      {
        // Another platform's group: "not found", never its impact.
        caller: "csm",
        call: async (w) =>
          routeOutcome(
            await (
              await import("@/app/api/platforms/[platformId]/groups/move-impact/route")
            ).GET(req(`/?groupId=${w.groupB}`), ctx({ platformId: w.platformA })),
          ),
      },
    ],
  },
  "app/api/fleet/route.ts#GET": {
    allowed: ["csm"],
    call: async () => routeOutcome(await (await import("@/app/api/fleet/route")).GET(req("/?trouble=failing&sort=name"))),
  },
  "app/(app)/learn/courses/[courseId]/start/route.ts#POST": {
    allowed: ["learner"],
    call: async (w) =>
      routeOutcome(
        await (await import("@/app/(app)/learn/courses/[courseId]/start/route")).POST(req("/", START_POST), ctx({ courseId: w.courseA })),
      ),
    crossIds: [
      {
        caller: "learner",
        call: async (w) =>
          routeOutcome(
            await (
              await import("@/app/(app)/learn/courses/[courseId]/start/route")
            ).POST(req("/", START_POST), ctx({ courseId: w.courseB })),
          ),
      },
    ],
  },
  // Public by design: next-auth's own endpoints, the health check (reveals nothing),
  // and the Inngest endpoint (requests are signed by Inngest and verified by its SDK).
  "app/api/auth/[...nextauth]/route.ts#GET": { allowed: "public", call: async () => "allowed" },
  "app/api/auth/[...nextauth]/route.ts#POST": { allowed: "public", call: async () => "allowed" },
  "app/api/health/route.ts#GET": { allowed: "public", call: async () => "allowed" },
  "app/api/inngest/route.ts#GET": { allowed: "public", call: async () => "allowed" },
  "app/api/inngest/route.ts#POST": { allowed: "public", call: async () => "allowed" },
  "app/api/inngest/route.ts#PUT": { allowed: "public", call: async () => "allowed" },
};

/** With another platform's ids, an allowed caller must be refused or get "not found"/"invalid", never act. */
async function notFoundOrInvalid(resultPromise: Promise<unknown>): Promise<Outcome> {
  const result = (await resultPromise) as { ok?: boolean };
  return result?.ok === false ? "denied" : "allowed";
}

describe("permissions matrix", () => {
  it("has a row for every server action and route handler in app/", () => {
    const discovered = discoverEndpoints();
    expect(
      discovered.filter((key) => !(key in MATRIX)),
      "endpoints without a row",
    ).toEqual([]);
    expect(
      Object.keys(MATRIX).filter((key) => !discovered.includes(key)),
      "rows for endpoints that no longer exist",
    ).toEqual([]);
  });

  for (const [key, row] of Object.entries(MATRIX)) {
    if (row.allowed === "public") continue;
    const allowed = row.allowed;
    describe(key, () => {
      for (const caller of CALLERS) {
        const expected: Outcome = allowed.includes(caller) ? "allowed" : "denied";
        it(`${caller} → ${expected}`, async () => {
          actAs(caller);
          expect(await row.call(world)).toBe(expected);
        });
      }
      for (const cross of row.crossIds ?? []) {
        it(`${cross.caller} passing another platform's ids → denied`, async () => {
          actAs(cross.caller);
          expect(await cross.call(world)).toBe("denied");
        });
      }
    });
  }
});
