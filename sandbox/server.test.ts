import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCourseraClient, createMemoryTokenCache } from "@/lib/coursera/client";
import type { CourseraEnrollment } from "@/lib/coursera/schema";
import { DEMO_ORG, SANDBOX_EPOCH_MS, benchOrgConfig } from "@/sandbox/data";
import { startCourseraSandbox, type CourseraSandbox } from "@/sandbox/server";

let sandbox: CourseraSandbox;
const BIG = benchOrgConfig({ catalogueSize: 100_000, learners: 50_000, enrollments: 500_000 });

beforeAll(async () => {
  sandbox = await startCourseraSandbox({ port: 0, orgs: [BIG] });
});
afterAll(async () => {
  await sandbox?.close();
});
beforeEach(() => sandbox.control.reset());

async function token(clientId = DEMO_ORG.clientId, secret = DEMO_ORG.clientSecret): Promise<Response> {
  return fetch(`${sandbox.url}/oauth2/client_credentials/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
}

async function bearer(clientId = DEMO_ORG.clientId, secret = DEMO_ORG.clientSecret): Promise<string> {
  const body = (await (await token(clientId, secret)).json()) as { access_token: string };
  return body.access_token;
}

async function get(path: string, accessToken?: string): Promise<Response> {
  return fetch(`${sandbox.url}${path}`, { headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {} });
}

const demoClient = (baseUrl = sandbox.url) =>
  createCourseraClient({
    baseUrl,
    orgId: DEMO_ORG.orgId,
    clientId: DEMO_ORG.clientId,
    clientSecret: DEMO_ORG.clientSecret,
    requestsPerSecond: 0,
    tokenCache: createMemoryTokenCache(),
  });

async function allEnrollments(): Promise<CourseraEnrollment[]> {
  const out: CourseraEnrollment[] = [];
  for await (const page of demoClient().listEnrollments()) out.push(...page.items);
  return out;
}

describe("production routes", () => {
  it("answers /health", async () => {
    expect((await get("/health")).status).toBe(200);
  });

  it("mints tokens in the documented shape and refuses bad credentials", async () => {
    const ok = await token();
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ token_type: "Bearer", expires_in: 1799, access_token: expect.any(String) });
    expect((await token(DEMO_ORG.clientId, "nope")).status).toBe(401);
  });

  it("checks the bearer token, the /ent prefix, the org and API access", async () => {
    const t = await bearer();
    expect((await get(`/ent/api/businesses.v1/${DEMO_ORG.orgId}/contents`)).status).toBe(401);
    expect((await get(`/ent/api/businesses.v1/${DEMO_ORG.orgId}/contents`, "forged")).status).toBe(401);
    expect((await get(`/ent/api/businesses.v1/${DEMO_ORG.orgId}/contents`, t)).status).toBe(200);
    expect((await get(`/api/businesses.v1/${DEMO_ORG.orgId}/contents`, t)).status).toBe(403);
    expect((await get(`/ent/api/businesses.v1/no-such-org/contents`, t)).status).toBe(404);
    expect((await get(`/ent/api/businesses.v1/${BIG.orgId}/contents`, t)).status).toBe(403);
    const noApi = await bearer("noapi-client", "noapi-secret");
    expect((await get(`/ent/api/businesses.v1/acme-demo-noapi/contents`, noApi)).status).toBe(403);
    sandbox.control.revokeTokens();
    expect((await get(`/ent/api/businesses.v1/${DEMO_ORG.orgId}/contents`, t)).status).toBe(401);
  });

  it("pages with `next` as a decimal string, absent on the last page, and caps `limit`", async () => {
    const t = await bearer(BIG.clientId, BIG.clientSecret);
    const first = (await (await get(`/ent/api/businesses.v1/${BIG.orgId}/contents?start=0&limit=5000`, t)).json()) as {
      elements: unknown[];
      paging: { next?: string; total?: number };
    };
    expect(first.elements).toHaveLength(1000);
    expect(first.paging).toEqual({ next: "1000", total: 100_000 });
    const last = (await (await get(`/ent/api/businesses.v1/${BIG.orgId}/enrollmentReports?start=499990&limit=100`, t)).json()) as {
      elements: unknown[];
      paging: { next?: string; total?: number };
    };
    expect(last.elements).toHaveLength(10);
    expect(last.paging).toEqual({ total: 500_000 });
    sandbox.control.setTotalVisible(BIG.orgId, false);
    const hidden = (await (await get(`/ent/api/businesses.v1/${BIG.orgId}/programs`, t)).json()) as { paging: object };
    expect(hidden.paging).toEqual({});
    expect((await get(`/ent/api/businesses.v1/${BIG.orgId}/contents?limit=abc`, t)).status).toBe(400);
  });

  it("generates the same data every time", async () => {
    const other = await startCourseraSandbox({ port: 0, publicBaseUrl: sandbox.url });
    try {
      const read = async (base: string) => {
        const t = await fetch(`${base}/oauth2/client_credentials/token`, {
          method: "POST",
          headers: { authorization: `Basic ${Buffer.from(`${DEMO_ORG.clientId}:${DEMO_ORG.clientSecret}`).toString("base64")}` },
          body: "grant_type=client_credentials",
        }).then((r) => r.json() as Promise<{ access_token: string }>);
        const res = await fetch(`${base}/ent/api/businesses.v1/${DEMO_ORG.orgId}/contents?limit=50`, {
          headers: { authorization: `Bearer ${t.access_token}` },
        });
        return res.text();
      };
      expect(await read(other.url)).toBe(await read(sandbox.url));
    } finally {
      await other.close();
    }
  });
});

describe("demo org", () => {
  it("has about 120 contents in two programs with program-scoped launch URLs", async () => {
    const client = demoClient();
    const contents = [];
    for await (const page of client.listContents()) contents.push(...page.items);
    expect(contents).toHaveLength(120);
    const programs = [];
    for await (const page of client.listPrograms()) programs.push(...page.items);
    expect(programs.map((p) => p.url)).toEqual([`${sandbox.url}/programs/acme-learning`, `${sandbox.url}/programs/acme-leadership`]);
    for (const c of contents) {
      expect(c.launchUrl).toMatch(
        new RegExp(`^${sandbox.url}/programs/acme-(learning|leadership)\\?productId=${c.contentId}&productType=\\w+&showMiniModal=true$`),
      );
      for (const programId of c.programIds) expect(programs.find((p) => p.programId === programId)?.contentIds).toContain(c.contentId);
    }
    expect(new Set(contents.map((c) => c.contentType)).size).toBeGreaterThanOrEqual(4);
  });

  it("has the demo learners, casing variants, strangers and every progress stage", async () => {
    const rows = await allEnrollments();
    expect(rows).toHaveLength(40);
    const emails = new Set(rows.map((r) => r.email));
    for (const email of [
      "ada@acme.test",
      "grace@acme.test",
      "linus@acme.test",
      "margaret@acme.test",
      "alan@acme.test",
      "stranger@elsewhere.test",
    ]) {
      expect(emails).toContain(email);
    }
    expect(rows.some((r) => r.externalId === "  Grace@ACME.test ")).toBe(true);
    expect(rows.some((r) => r.externalId === null)).toBe(true);
    expect(rows.some((r) => !r.lastActivityAt && r.progressPercent === 0)).toBe(true); // enrolled only
    expect(rows.some((r) => r.lastActivityAt && r.progressPercent === 0)).toBe(true); // started
    expect(rows.some((r) => !r.isCompleted && r.progressPercent > 0)).toBe(true); // in progress
    expect(rows.some((r) => r.isCompleted && r.scorePercent !== null)).toBe(true);
    expect(rows.some((r) => r.isCompleted && r.scorePercent === null)).toBe(true);
  });

  it("serves the stand-in course page behind each launch URL", async () => {
    const first = (await demoClient().fetchContentsPage({ limit: 1 })).items[0];
    const res = await fetch(`${first.launchUrl}&learner=ada%40acme.test`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Coursera sandbox — you arrived at");
    expect(html).toContain(first.contentId);
    expect(html).toContain("ada@acme.test");
    expect((await get("/programs/acme-learning?productId=nope")).status).toBe(404);
    expect((await get(new URL(first.imageUrl!).pathname)).headers.get("content-type")).toBe("image/svg+xml");
  });
});

describe("control API", () => {
  it("changes the catalogue in process: upsert, remove, restore, resize", async () => {
    const client = demoClient();
    const id = sandbox.control.contentIdAt(DEMO_ORG.orgId, 0);
    sandbox.control.upsertContent(DEMO_ORG.orgId, { contentId: id, contentType: "Course", name: "Renamed course" });
    sandbox.control.upsertContent(DEMO_ORG.orgId, { contentId: "brand-new", contentType: "Course", name: "Brand new" });
    sandbox.control.removeContent(DEMO_ORG.orgId, sandbox.control.contentIdAt(DEMO_ORG.orgId, 3));
    const page = await client.fetchContentsPage({ limit: 500 });
    expect(page.total).toBe(120);
    expect(page.items[0].title).toBe("Renamed course");
    expect(page.items.at(-1)?.contentId).toBe("brand-new");
    expect(page.items.map((c) => c.contentId)).not.toContain(sandbox.control.contentIdAt(DEMO_ORG.orgId, 3));
    sandbox.control.restoreContent(DEMO_ORG.orgId, sandbox.control.contentIdAt(DEMO_ORG.orgId, 3));
    sandbox.control.setCatalogueSize(DEMO_ORG.orgId, 10);
    expect((await client.fetchContentsPage({ limit: 500 })).rawCount).toBe(11);
  });

  it("works over HTTP: faults, contents, enrollments, stats, reset", async () => {
    const post = (path: string, body: unknown, method = "POST") =>
      fetch(`${sandbox.url}/__control${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const client = demoClient();

    expect((await post("/faults", { endpoint: "contents", kind: "server-error-500", times: "always" })).status).toBe(200);
    const t = await bearer();
    expect((await get(`/ent/api/businesses.v1/${DEMO_ORG.orgId}/contents`, t)).status).toBe(500);
    expect((await fetch(`${sandbox.url}/__control/faults`, { method: "DELETE" })).status).toBe(200);
    expect((await get(`/ent/api/businesses.v1/${DEMO_ORG.orgId}/contents`, t)).status).toBe(200);

    await post(`/orgs/${DEMO_ORG.orgId}/contents`, { contentId: "http-added", name: "Added over HTTP", contentType: "Video" });
    const removed = sandbox.control.contentIdAt(DEMO_ORG.orgId, 0);
    await fetch(`${sandbox.url}/__control/orgs/${DEMO_ORG.orgId}/contents/${removed}`, { method: "DELETE" });
    const ids = (await client.fetchContentsPage({ limit: 1000 })).items.map((c) => c.contentId);
    expect(ids).toContain("http-added");
    expect(ids).not.toContain(removed);

    const ada = (await allEnrollments()).find((r) => r.email === "ada@acme.test")!;
    const res = await post(`/orgs/${DEMO_ORG.orgId}/enrollments`, {
      email: "ADA@acme.test",
      contentId: ada.contentId,
      overallProgress: 100,
      grade: 0.87,
    });
    expect(res.status).toBe(200);
    const after = (await allEnrollments()).find((r) => r.recordId === ada.recordId)!;
    expect(after).toMatchObject({ progressPercent: 100, isCompleted: true, scorePercent: 87 });

    const stats = (await (await fetch(`${sandbox.url}/__control/stats`)).json()) as { tokensIssued: number };
    expect(stats.tokensIssued).toBeGreaterThanOrEqual(2);
    await post("/reset", {});
    expect(sandbox.control.stats().tokensIssued).toBe(0);
    expect((await client.fetchContentsPage({ limit: 1000 })).items.map((c) => c.contentId)).toContain(removed);
  });

  it("adds a learner's enrollment that did not exist yet", async () => {
    const contentId = sandbox.control.contentIdAt(DEMO_ORG.orgId, 77);
    sandbox.control.advanceEnrollment(DEMO_ORG.orgId, { externalId: "grace@acme.test", contentId, overallProgress: 30 });
    const rows = (await allEnrollments()).filter((r) => r.email === "grace@acme.test" && r.contentId === contentId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ progressPercent: 30, isCompleted: false });
    expect(() => sandbox.control.advanceEnrollment(DEMO_ORG.orgId, { email: "nobody@x.test", contentId, overallProgress: 1 })).toThrow();
  });

  it("counts requests per endpoint and honours afterRequests", async () => {
    sandbox.control.injectFault({ endpoint: "*", kind: "server-error-503", afterRequests: 2 });
    const t = await bearer();
    expect((await get(`/ent/api/businesses.v1/${DEMO_ORG.orgId}/programs`, t)).status).toBe(200);
    expect((await get(`/ent/api/businesses.v1/${DEMO_ORG.orgId}/contents`, t)).status).toBe(503);
    expect((await get(`/ent/api/businesses.v1/${DEMO_ORG.orgId}/contents`, t)).status).toBe(200);
    expect(sandbox.control.stats()).toMatchObject({ requests: { token: 1, programs: 1, contents: 2 }, faultsTriggered: 1 });
  });
});

describe("generated catalogue", () => {
  it("mixes types (including an unknown one), languages, and a share of second timestamps", async () => {
    const org = sandbox.control.org(BIG.orgId);
    const { elements } = org.contentsPage(0, 2000, sandbox.url);
    const types = new Set(elements.map((e) => e.contentType));
    expect(types).toEqual(new Set(["Course", "Specialization", "ProfessionalCertificate", "GuidedProject", "Project", "Video", "Podcast"]));
    expect(new Set(elements.map((e) => e.languageCode))).toEqual(new Set(["en", "es", "fr", "de", "pt", "ja"]));
    const seconds = elements.filter((e) => (e.lastUpdatedAt as number) < 1e11).length;
    expect(seconds).toBeGreaterThan(20);
    expect(seconds).toBeLessThan(300);
  });
});

describe("cachePages (benchmarks)", () => {
  it("answers a rendered page again from memory, and never after a control call changed the data", async () => {
    const cached = await startCourseraSandbox({ port: 0, cachePages: true });
    try {
      const client = demoClient(cached.url);
      const first = await client.fetchContentsPage({ start: 0, limit: 10 });
      expect((await client.fetchContentsPage({ start: 0, limit: 10 })).items).toEqual(first.items);

      const id = first.items[3].contentId;
      const raw = cached.control.org(DEMO_ORG.orgId).findContent(id, cached.url)!;
      cached.control.upsertContent(DEMO_ORG.orgId, { ...raw, name: "Renamed after the page was cached" });
      const after = await client.fetchContentsPage({ start: 0, limit: 10 });
      expect(after.items[3].title).toBe("Renamed after the page was cached");

      // A fault is never cached, nor served from the cache.
      cached.control.injectFault({ endpoint: "contents", kind: "malformed-element" });
      expect((await client.fetchContentsPage({ start: 0, limit: 10 })).invalid).toHaveLength(1);
      expect((await client.fetchContentsPage({ start: 0, limit: 10 })).invalid).toHaveLength(0);
    } finally {
      await cached.close();
    }
  });
});

describe("incremental filters of the enrollment reports", () => {
  const changedAfter = (r: CourseraEnrollment, t: number) =>
    (r.lastActivityAt?.getTime() ?? 0) > t || (r.isCompleted && (r.completedAt?.getTime() ?? 0) > t);

  it("lists, page by page, only the records active or completed strictly after the instant (either filter)", async () => {
    const all = await allEnrollments();
    const activity = all
      .map((r) => r.lastActivityAt?.getTime() ?? 0)
      .filter((t) => t > 0)
      .sort((a, b) => a - b);
    const t = activity[Math.floor(activity.length / 2)];
    const expected = all.filter((r) => changedAfter(r, t)).map((r) => r.recordId);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);

    const client = demoClient();
    const got: string[] = [];
    let total: number | null = null;
    for (let start: number | null = 0; start !== null;) {
      const page = await client.fetchEnrollmentsPage({ start, limit: 7, changedSince: new Date(t) });
      got.push(...page.items.map((r) => r.recordId));
      total = page.total;
      start = page.next;
    }
    expect(got).toEqual(expected);
    expect(total).toBe(expected.length);
    expect(sandbox.control.stats().lastEnrollmentFilterByOrg[DEMO_ORG.orgId]).toEqual({ lastActivityAfter: t, completedAtAfter: t });
  });

  it("reads each filter alone, strictly after, in epoch milliseconds or ISO, and refuses anything else", async () => {
    const all = await allEnrollments();
    const completed = all.filter((r) => r.isCompleted && r.completedAt);
    const t = completed[0].completedAt!.getTime();
    const path = `/ent/api/businesses.v1/${DEMO_ORG.orgId}/enrollmentReports?start=0&limit=1000`;
    const ids = async (query: string) => {
      const res = await get(`${path}&${query}`, await bearer());
      expect(res.status).toBe(200);
      return ((await res.json()) as { elements: { id: string }[] }).elements.map((e) => e.id).sort();
    };
    const onlyCompleted = completed
      .filter((r) => r.completedAt!.getTime() > t)
      .map((r) => r.recordId)
      .sort();
    expect(await ids(`completedAtAfter=${t}`)).toEqual(onlyCompleted);
    // Strictly after: the record completed at exactly t is not listed.
    expect(onlyCompleted).not.toContain(completed[0].recordId);
    expect(await ids(`completedAtAfter=${new Date(t).toISOString()}`)).toEqual(onlyCompleted);
    const onlyActive = all
      .filter((r) => (r.lastActivityAt?.getTime() ?? 0) > t)
      .map((r) => r.recordId)
      .sort();
    expect(await ids(`lastActivityAfter=${t}`)).toEqual(onlyActive);
    expect((await get(`${path}&lastActivityAfter=yesterday`, await bearer())).status).toBe(400);
  });

  it("answers a window after its generated data from the changed records alone, at 500,000 records", async () => {
    const at = SANDBOX_EPOCH_MS + 3_600_000;
    expect(sandbox.control.touchEnrollments(BIG.orgId, { every: 100, at })).toBe(5_000);
    const page = sandbox.control.org(BIG.orgId).enrollmentsPage(0, 1000, { lastActivityAfter: at - 1, completedAtAfter: at - 1 });
    expect(page.total).toBe(5_000);
    expect(page.elements.every((e) => e.lastActivityAt === at)).toBe(true);
    expect(sandbox.control.org(BIG.orgId).enrollmentsPage(0, 10, { lastActivityAfter: at }).total).toBe(0);
  });
});
