import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCourseraClient, createMemoryTokenCache, parseRetryAfter, type CourseraClientOptions } from "@/lib/coursera/client";
import { CourseraError } from "@/lib/coursera/errors";
import { DEMO_NOAPI_ORG, DEMO_ORG } from "@/sandbox/data";
import { startCourseraSandbox, type CourseraSandbox, type FaultKind } from "@/sandbox/server";

/** Real HTTP against a sandbox started here; only the backoff waits are shrunk (recorded, not slept). */

const LIST_ORG = {
  orgId: "list-org",
  clientId: "list-client",
  clientSecret: "list-secret",
  seed: 99,
  catalogueSize: 10_000,
  programs: 3,
  learners: { count: 200 },
  enrollmentCount: 2_000,
  totalVisible: false,
};

let sandbox: CourseraSandbox;
let sleeps: number[];

beforeAll(async () => {
  sandbox = await startCourseraSandbox({ port: 0, orgs: [LIST_ORG] });
});
afterAll(async () => {
  await sandbox?.close();
});
beforeEach(() => {
  sandbox.control.reset();
  sleeps = [];
});

function client(overrides: Partial<CourseraClientOptions> = {}) {
  return createCourseraClient({
    baseUrl: sandbox.url,
    orgId: DEMO_ORG.orgId,
    clientId: DEMO_ORG.clientId,
    clientSecret: DEMO_ORG.clientSecret,
    timeoutMs: 2_000,
    requestsPerSecond: 0,
    tokenCache: createMemoryTokenCache(),
    sleep: async (ms) => void sleeps.push(ms),
    ...overrides,
  });
}

const listClient = (overrides: Partial<CourseraClientOptions> = {}) =>
  client({ orgId: LIST_ORG.orgId, clientId: LIST_ORG.clientId, clientSecret: LIST_ORG.clientSecret, ...overrides });

async function expectCourseraError(promise: Promise<unknown>, code: string): Promise<CourseraError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CourseraError);
  expect((err as CourseraError).code).toBe(code);
  return err as CourseraError;
}

describe("listing", () => {
  it("follows `next` through 10,000 items when total is absent and the server caps the page size", async () => {
    sandbox.control.setMaxPageSize(700);
    const ids = new Set<string>();
    let pages = 0;
    let items = 0;
    for await (const page of listClient().listContents({ pageSize: 1000 })) {
      pages++;
      items += page.items.length;
      for (const item of page.items) ids.add(item.contentId);
      expect(page.total).toBeNull();
      expect(page.rawCount).toBeLessThanOrEqual(700);
      expect(page.duplicates).toBe(0);
      if (page.next !== null) expect(page.next).toBe(page.start + page.rawCount);
    }
    expect(items).toBe(10_000);
    expect(ids.size).toBe(10_000);
    expect(pages).toBe(Math.ceil(10_000 / 700));
  });

  it("counts items that shift into the next page as duplicates and yields them once", async () => {
    const shifted = sandbox.control.contentIdAt(LIST_ORG.orgId, 5);
    sandbox.control.removeContent(LIST_ORG.orgId, shifted);
    const ids: string[] = [];
    let duplicates = 0;
    let first = true;
    for await (const page of listClient().listContents({ pageSize: 100 })) {
      ids.push(...page.items.map((c) => c.contentId));
      duplicates += page.duplicates;
      if (first) sandbox.control.restoreContent(LIST_ORG.orgId, shifted); // everything after it moves one place down
      first = false;
    }
    expect(duplicates).toBe(1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(9_999); // the restored one sits on the page already read
  });

  it("lists programs and enrollments, asking enrollments with includeS12n", async () => {
    const c = client();
    const programs = [];
    for await (const page of c.listPrograms()) programs.push(...page.items);
    expect(programs.map((p) => p.name)).toEqual(["Acme Learning", "Acme Leadership Academy"]);
    const enrollments = [];
    for await (const page of c.listEnrollments({ pageSize: 7 })) enrollments.push(...page.items);
    expect(enrollments).toHaveLength(DEMO_ORG.enrollmentCount!);
  });

  it("stops on an empty page or a `next` that does not advance", async () => {
    const urls: string[] = [];
    let body = "";
    const server: Server = createServer((req, res) => {
      urls.push(req.url ?? "");
      if (req.url?.startsWith("/oauth2")) {
        res.end(JSON.stringify({ access_token: "t", expires_in: 1799 }));
        return;
      }
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const c = client({ baseUrl: base });
      body = JSON.stringify({ elements: [{ contentId: "a", name: "A" }], paging: { next: "0" } });
      expect((await c.fetchContentsPage({ start: 0 })).next).toBeNull();
      body = JSON.stringify({ elements: [], paging: { next: "100" } });
      expect((await c.fetchContentsPage({ start: 0 })).next).toBeNull();
      body = JSON.stringify({ elements: [{ id: "x", name: "X" }], paging: { next: "1", total: 9 } });
      const page = await c.fetchEnrollmentsPage({ start: 0, limit: 1 });
      expect(page.invalid).toEqual([{ id: "x", reason: "contentId is missing" }]);
      expect(page).toMatchObject({ next: 1, total: 9, rawCount: 1 });
      expect(urls.at(-1)).toBe("/ent/api/businesses.v1/acme-demo-org/enrollmentReports?start=0&limit=1&includeS12n=true");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("transient failures are retried", () => {
  const recovered: FaultKind[] = [
    "rate-limit",
    "rate-limit-retry-after",
    "server-error-500",
    "server-error-503",
    "timeout",
    "reset",
    "malformed-json",
    "truncated-page",
  ];
  for (const kind of recovered) {
    it(`recovers from ${kind}`, async () => {
      sandbox.control.injectFault({ endpoint: "contents", kind, delayMs: 5_000, retryAfterSeconds: 3 });
      const page = await client({ timeoutMs: 300 }).fetchContentsPage({ start: 0, limit: 10 });
      expect(page.items).toHaveLength(10);
      expect(sandbox.control.stats().requests.contents).toBe(2);
      expect(sleeps).toHaveLength(1);
      if (kind === "rate-limit-retry-after") expect(sleeps[0]).toBe(3_000);
      else expect(sleeps[0]).toBeLessThanOrEqual(500);
    });
  }

  it("recovers from a failing token endpoint", async () => {
    sandbox.control.injectFault({ endpoint: "token", kind: "server-error-503", times: 2 });
    const page = await client().fetchContentsPage({ limit: 1 });
    expect(page.items).toHaveLength(1);
    expect(sandbox.control.stats().requests.token).toBe(3);
  });

  it("backs off exponentially with full jitter", async () => {
    sandbox.control.injectFault({ endpoint: "contents", kind: "server-error-500", times: 4 });
    await client({ random: () => 0.999 }).fetchContentsPage({ limit: 1 });
    expect(sleeps.map((ms) => Math.round(ms / 100) * 100)).toEqual([500, 1000, 2000, 4000]);
  });

  it("fails with UNAVAILABLE when 503s persist, after maxAttempts", async () => {
    sandbox.control.injectFault({ endpoint: "contents", kind: "server-error-503", times: "always" });
    const err = await expectCourseraError(client({ maxAttempts: 4 }).fetchContentsPage(), "UNAVAILABLE");
    expect(err.retryable).toBe(true);
    expect(err.message).toContain("after 4 attempts");
    expect(sandbox.control.stats().requests.contents).toBe(4);
  });

  it("gives up early when Retry-After exceeds the retry time budget", async () => {
    sandbox.control.injectFault({ endpoint: "contents", kind: "rate-limit-retry-after", retryAfterSeconds: 600, times: "always" });
    await expectCourseraError(client({ maxRetryTimeMs: 10_000 }).fetchContentsPage(), "UNAVAILABLE");
    expect(sleeps).toEqual([]);
    expect(sandbox.control.stats().requests.contents).toBe(1);
  });

  it("fails with MALFORMED_RESPONSE when the page stays unreadable", async () => {
    sandbox.control.injectFault({ endpoint: "contents", kind: "truncated-page", times: -1 });
    const err = await expectCourseraError(client({ maxAttempts: 3 }).fetchContentsPage(), "MALFORMED_RESPONSE");
    expect(err.message).toContain("3 attempts");
  });

  it("keeps the rest of a page when one element is malformed", async () => {
    sandbox.control.injectFault({ endpoint: "contents", kind: "malformed-element" });
    const brokenId = sandbox.control.contentIdAt(DEMO_ORG.orgId, 1);
    const page = await client().fetchContentsPage({ start: 0, limit: 20 });
    expect(page.rawCount).toBe(20);
    expect(page.items).toHaveLength(19);
    expect(page.items.map((c) => c.contentId)).not.toContain(brokenId);
    expect(page.invalid).toEqual([{ id: brokenId, reason: "missing name; lastUpdatedAt is not a number" }]);

    sandbox.control.injectFault({ endpoint: "enrollmentReports", kind: "malformed-element" });
    const enrollments = await client().fetchEnrollmentsPage({ start: 0, limit: 10 });
    expect(enrollments.items).toHaveLength(9);
    expect(enrollments.invalid).toEqual([{ id: expect.stringContaining("~"), reason: "overallProgress is not a number" }]);
  });
});

describe("permanent failures stop at once", () => {
  it("401 on the token request → BAD_CREDENTIALS without retrying", async () => {
    const err = await expectCourseraError(client({ clientSecret: "wrong" }).fetchContentsPage(), "BAD_CREDENTIALS");
    expect(err.message).toContain("client ID or client secret");
    expect(err.message).not.toContain("wrong");
    expect(sandbox.control.stats().requests.token).toBe(1);
  });

  it("403 → API_ACCESS_DISABLED", async () => {
    const c = client({ orgId: DEMO_NOAPI_ORG.orgId, clientId: DEMO_NOAPI_ORG.clientId, clientSecret: DEMO_NOAPI_ORG.clientSecret });
    const err = await expectCourseraError(c.fetchContentsPage(), "API_ACCESS_DISABLED");
    expect(err.status).toBe(403);
    sandbox.control.injectFault({ endpoint: "enrollmentReports", kind: "forbidden-403" });
    await expectCourseraError(client().fetchEnrollmentsPage(), "API_ACCESS_DISABLED");
    expect(sandbox.control.stats().requests.enrollmentReports).toBe(1);
  });

  it("404 → UNKNOWN_ORG, naming the org id", async () => {
    const err = await expectCourseraError(client({ orgId: "acme-typo" }).fetchProgramsPage(), "UNKNOWN_ORG");
    expect(err.message).toContain("acme-typo");
    sandbox.control.injectFault({ endpoint: "contents", kind: "not-found-404" });
    await expectCourseraError(client().fetchContentsPage(), "UNKNOWN_ORG");
  });
});

describe("tokens", () => {
  it("reuses a cached token across calls and clients sharing the cache", async () => {
    const tokenCache = createMemoryTokenCache();
    await client({ tokenCache }).fetchContentsPage({ limit: 1 });
    await client({ tokenCache }).fetchProgramsPage();
    expect(sandbox.control.stats().tokensIssued).toBe(1);
  });

  it("mints once more and replays after a 401 on a data call", async () => {
    sandbox.control.injectFault({ endpoint: "contents", kind: "unauthorized-401" });
    const page = await client().fetchContentsPage({ limit: 3 });
    expect(page.items).toHaveLength(3);
    expect(sandbox.control.stats().tokensIssued).toBe(2);
    expect(sleeps).toEqual([]);
  });

  it("a second 401 with a fresh token → BAD_CREDENTIALS", async () => {
    sandbox.control.injectFault({ endpoint: "contents", kind: "unauthorized-401", times: "always" });
    await expectCourseraError(client().fetchContentsPage(), "BAD_CREDENTIALS");
    expect(sandbox.control.stats().tokensIssued).toBe(2);
    expect(sandbox.control.stats().requests.contents).toBe(2);
  });

  it("survives a token expiring in the middle of a listing", async () => {
    sandbox.control.injectFault({ endpoint: "contents", kind: "expire-token", afterRequests: 3 });
    const ids = new Set<string>();
    for await (const page of listClient().listContents({ pageSize: 1000 })) for (const c of page.items) ids.add(c.contentId);
    expect(ids.size).toBe(10_000);
    const stats = sandbox.control.stats();
    expect(stats.tokensIssued).toBe(2);
    expect(stats.rejectedTokens).toBe(1);
    expect(stats.requests.contents).toBe(11);
  });

  it("renews a token that is about to expire", async () => {
    sandbox.control.addOrg({ ...LIST_ORG, orgId: "short-org", clientId: "short", tokenTtlSeconds: 1 });
    const c = client({ orgId: "short-org", clientId: "short", clientSecret: LIST_ORG.clientSecret });
    await c.fetchContentsPage({ limit: 1 });
    await new Promise((r) => setTimeout(r, 600));
    await c.fetchContentsPage({ limit: 1 });
    expect(sandbox.control.stats().tokensIssued).toBe(2);
    expect(sandbox.control.stats().rejectedTokens).toBe(0);
  });
});

describe("testConnection", () => {
  it("reports success with a sample", async () => {
    expect(await client().testConnection()).toEqual({ ok: true, sampleCount: 1, total: DEMO_ORG.catalogueSize });
  });

  it("tells wrong client credentials apart", async () => {
    const r = await client({ clientId: "nobody" }).testConnection();
    expect(r).toMatchObject({ ok: false, code: "BAD_CREDENTIALS", field: "clientCredentials" });
  });

  it("tells a wrong org id apart", async () => {
    const r = await client({ orgId: "acme-wrong-org" }).testConnection();
    expect(r).toMatchObject({ ok: false, code: "UNKNOWN_ORG", field: "orgId" });
  });

  it("tells disabled API access apart", async () => {
    const r = await client({
      orgId: DEMO_NOAPI_ORG.orgId,
      clientId: DEMO_NOAPI_ORG.clientId,
      clientSecret: DEMO_NOAPI_ORG.clientSecret,
    }).testConnection();
    expect(r).toMatchObject({ ok: false, code: "API_ACCESS_DISABLED", field: "apiAccess" });
  });

  it("tells an unreachable host apart, within a small attempt budget", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const r = await client({ baseUrl: `http://127.0.0.1:${port}` }).testConnection();
    expect(r).toMatchObject({ ok: false, code: "UNAVAILABLE", field: "network" });
    expect(sleeps).toHaveLength(1); // 2 attempts
  });

  it("does not retry a hanging sandbox for long", async () => {
    sandbox.control.injectFault({ endpoint: "contents", kind: "timeout", times: "always", delayMs: 5_000 });
    const r = await client({ testConnectionBudget: { timeoutMs: 200 } }).testConnection();
    expect(r).toMatchObject({ ok: false, field: "network" });
    expect(sandbox.control.stats().requests.contents).toBe(2);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("2")).toBe(2_000);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10_000);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});

describe("organisation ids cannot steer requests to other paths", () => {
  // Whatever the org id, every request goes to the token endpoint or under /ent/api/businesses.v1/<one segment>/.
  it.each(["..", ".", "../../oauth2", "a/../../x", "%2e%2e", "a%2F..%2Fb", "a\\b", "a?x=1#", "a#frag", "..;"])(
    "org id %j",
    async (orgId) => {
      const paths: string[] = [];
      const recording: typeof fetch = async (input, init) => {
        // What the wire sees: the URL as fetch normalises it (dot segments resolved, backslashes turned).
        const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
        paths.push(url.pathname);
        return fetch(input, init);
      };
      const c = client({ orgId, fetchImpl: recording, maxAttempts: 1 });
      await c.fetchContentsPage({ start: 0, limit: 1 }).catch(() => undefined);
      await c.testConnection().catch(() => undefined);
      for (const path of paths) {
        if (path === "/oauth2/client_credentials/token") continue;
        const segments = path.split("/");
        // "", "ent", "api", "businesses.v1", <org>, "contents"
        expect(segments.slice(0, 4), path).toEqual(["", "ent", "api", "businesses.v1"]);
        expect(segments.length, path).toBe(6);
        expect(decodeURIComponent(segments[4]), path).toBe(orgId);
        expect(segments[5], path).toBe("contents");
      }
    },
  );
});
