import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  DEMO_NOAPI_ORG,
  DEMO_ORG,
  HOSTILE_LINKS,
  SandboxOrg,
  hashString,
  hostileContentElement,
  type AdvanceEnrollmentInput,
  type EnrollmentFilter,
  type OrgConfig,
  type RawElement,
} from "@/sandbox/data";

/**
 * A local stand-in for the Coursera for Business API (contract: /work/shared/coursera-api.md), used by
 * dev, tests, demos and benchmarks. Plain node:http so it starts in milliseconds and adds nothing to
 * the app's dependencies. Besides the production routes it serves a control API (in-process object
 * and `/__control/*` over HTTP, loopback callers only) to change data and inject every failure the
 * contract lists.
 */

export type { OrgConfig } from "@/sandbox/data";

export type SandboxEndpoint = "token" | "contents" | "programs" | "enrollmentReports";

export type FaultKind =
  | "rate-limit"
  | "rate-limit-retry-after"
  | "server-error-500"
  | "server-error-503"
  | "delay"
  | "timeout"
  | "reset"
  | "malformed-json"
  | "truncated-page"
  | "malformed-element"
  | "unauthorized-401"
  | "forbidden-403"
  | "not-found-404"
  | "expire-token";

export interface FaultSpec {
  endpoint: SandboxEndpoint | "*";
  kind: FaultKind;
  /** Matching requests to let through before the fault starts. Default 0. */
  afterRequests?: number;
  /** How many matching requests get the fault. Default 1; -1, "always" or Infinity for every one. */
  times?: number | "always";
  /** For "delay" (default 1000) and "timeout" (how long to hang before dropping the connection, default 60 000). */
  delayMs?: number;
  /** For "rate-limit-retry-after". Default 1. */
  retryAfterSeconds?: number;
}

interface ActiveFault extends Required<Omit<FaultSpec, "times">> {
  id: string;
  remaining: number;
  skipped: number;
}

export interface SandboxStats {
  requests: Record<SandboxEndpoint | "other", number>;
  tokensIssued: number;
  tokensIssuedByOrg: Record<string, number>;
  faultsTriggered: number;
  /** Data calls answered 401 because the token was unknown, expired or revoked. */
  rejectedTokens: number;
  /** Data calls per organisation, and the most any organisation sent within one second (a sliding window). */
  requestsByOrg: Record<string, number>;
  peakRequestsPerSecondByOrg: Record<string, number>;
  /** Per organisation, the incremental filters of its last enrollment reports request (null: none). */
  lastEnrollmentFilterByOrg: Record<string, EnrollmentFilter | null>;
}

export interface SandboxControl {
  orgIds(): string[];
  org(orgId: string): SandboxOrg;
  addOrg(config: OrgConfig): void;
  removeOrg(orgId: string): boolean;
  upsertContent(orgId: string, raw: RawElement): string;
  removeContent(orgId: string, contentId: string): boolean;
  restoreContent(orgId: string, contentId: string): boolean;
  setCatalogueSize(orgId: string, n: number): void;
  /** Id of the generated content at a position, handy for tests. */
  contentIdAt(orgId: string, index: number): string;
  setEnrollment(orgId: string, raw: RawElement): string;
  advanceEnrollment(orgId: string, input: AdvanceEnrollmentInput): RawElement;
  setEnrollmentCount(orgId: string, n: number): void;
  /** Moves every `every`-th generated enrollment forward (activity at `at`); returns how many. */
  touchEnrollments(orgId: string, input: { every: number; offset?: number; at: number }): number;
  setMaxPageSize(n: number): void;
  setTotalVisible(orgId: string, visible: boolean): void;
  setApiAccess(orgId: string, enabled: boolean): void;
  injectFault(spec: FaultSpec): string;
  clearFaults(): void;
  faults(): FaultSpec[];
  revokeTokens(): void;
  reset(): void;
  stats(): SandboxStats;
  /**
   * Adds one content per HOSTILE_LINKS entry (its program link, promo photo, partner logo and
   * instructor photo all that link), plus one whose first program link is hostile and second is the
   * sandbox's own. Returns what was added.
   */
  serveHostileLinks(orgId: string): { contentId: string; label: string; url: string; validLaunchUrl: string | null }[];
}

export interface SandboxOptions {
  /** 0 = a random free port. Default 0. */
  port?: number;
  host?: string;
  orgs?: OrgConfig[];
  /** The demo org and its no-API twin. Default true. */
  includeDemoOrg?: boolean;
  /** Base for the links inside the data (launch URLs, images). Default: the server's own URL. */
  publicBaseUrl?: string;
  /** Cap on `limit`. Default 1000. */
  maxPageSize?: number;
  /** Added to every API answer. Default 0. */
  latencyMs?: number;
  /**
   * Keep every data page once rendered, and answer it again from memory until the next control
   * call (any: they all clear it). For the benchmarks, which measure the sync and not Coursera:
   * generating and serialising 1,000 catalogue items costs this process ≈ 55 ms, which on a
   * two-core machine would otherwise be taken from the database the sync writes to. Default off.
   */
  cachePages?: boolean;
}

export interface CourseraSandbox {
  url: string;
  port: number;
  control: SandboxControl;
  close(): Promise<void>;
}

const DATA_PATH = /^\/(ent\/)?api\/businesses\.v1\/([^/]+)\/(contents|programs|enrollmentReports)\/?$/;
const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonText(res, status, JSON.stringify(body), headers);
}

/** JSON already serialised (a cached page). */
function sendJsonText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(html) });
  res.end(html);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

async function readBody(req: IncomingMessage, max = 5_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new HttpError(413, "body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function readJson<T>(req: IncomingMessage): Promise<T> {
  const text = await readBody(req);
  try {
    return JSON.parse(text || "null") as T;
  } catch {
    throw new HttpError(400, "body is not JSON");
  }
}

function svg(label: string, seedText: string, round = false): string {
  const hue = hashString(seedText) % 360;
  const initials = escapeHtml(
    label
      .split(/[\s-]+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w[0]!.toUpperCase())
      .join(""),
  );
  const shape = round
    ? `<circle cx="60" cy="60" r="60" fill="hsl(${hue},55%,45%)"/>`
    : `<rect width="240" height="120" fill="hsl(${hue},55%,45%)"/>`;
  const width = round ? 120 : 240;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="120" viewBox="0 0 ${width} 120">${shape}<text x="50%" y="54%" dominant-baseline="middle" text-anchor="middle" font-family="sans-serif" font-size="40" fill="#fff">${initials}</text></svg>`;
}

function normaliseTimes(times: FaultSpec["times"]): number {
  if (times === undefined) return 1;
  if (times === "always" || times === -1 || times === Infinity) return Infinity;
  return Math.max(0, Math.floor(times));
}

export async function startCourseraSandbox(options: SandboxOptions = {}): Promise<CourseraSandbox> {
  const host = options.host ?? "127.0.0.1";
  const initialConfigs: OrgConfig[] = [...(options.includeDemoOrg === false ? [] : [DEMO_ORG, DEMO_NOAPI_ORG]), ...(options.orgs ?? [])];
  const initialMaxPageSize = options.maxPageSize ?? 1000;
  const latencyMs = options.latencyMs ?? 0;

  const orgs = new Map<string, SandboxOrg>();
  const tokens = new Map<string, { orgId: string; expiresAt: number }>();
  let faults: ActiveFault[] = [];
  let maxPageSize = initialMaxPageSize;
  let faultSeq = 0;
  let stats: SandboxStats = emptyStats();
  const pendingTimers = new Set<NodeJS.Timeout>();
  let publicBase = "";
  /** Rendered data pages by org, endpoint, start and limit (options.cachePages). */
  const pageCache = new Map<string, string>();

  function emptyStats(): SandboxStats {
    return {
      requests: { token: 0, contents: 0, programs: 0, enrollmentReports: 0, other: 0 },
      tokensIssued: 0,
      tokensIssuedByOrg: {},
      faultsTriggered: 0,
      rejectedTokens: 0,
      requestsByOrg: {},
      peakRequestsPerSecondByOrg: {},
      lastEnrollmentFilterByOrg: {},
    };
  }

  /** The data calls of each organisation in the last second, for its peak rate. */
  const recentByOrg = new Map<string, number[]>();
  function countOrgRequest(orgId: string): void {
    const now = Date.now();
    const recent = (recentByOrg.get(orgId) ?? []).filter((t) => t > now - 1000);
    recent.push(now);
    recentByOrg.set(orgId, recent);
    stats.requestsByOrg[orgId] = (stats.requestsByOrg[orgId] ?? 0) + 1;
    stats.peakRequestsPerSecondByOrg[orgId] = Math.max(stats.peakRequestsPerSecondByOrg[orgId] ?? 0, recent.length);
  }

  function loadOrgs(): void {
    orgs.clear();
    for (const config of initialConfigs) orgs.set(config.orgId, new SandboxOrg(config));
  }
  loadOrgs();

  function getOrg(orgId: string): SandboxOrg {
    const org = orgs.get(orgId);
    if (!org) throw new HttpError(404, `unknown org ${orgId}`);
    return org;
  }

  function wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        pendingTimers.delete(t);
        resolve();
      }, ms);
      pendingTimers.add(t);
    });
  }

  /** The fault to apply to this request, if any; counts matching requests for `afterRequests`. */
  function takeFault(endpoint: SandboxEndpoint): ActiveFault | null {
    for (const fault of faults) {
      if (fault.endpoint !== "*" && fault.endpoint !== endpoint) continue;
      if (fault.skipped < fault.afterRequests) {
        fault.skipped++;
        continue;
      }
      if (fault.remaining <= 0) continue;
      fault.remaining--;
      stats.faultsTriggered++;
      faults = faults.filter((f) => f.remaining > 0);
      return fault;
    }
    return null;
  }

  const control: SandboxControl = {
    orgIds: () => [...orgs.keys()],
    org: (orgId) => getOrg(orgId),
    addOrg(config) {
      orgs.set(config.orgId, new SandboxOrg(config));
    },
    removeOrg: (orgId) => orgs.delete(orgId),
    upsertContent: (orgId, raw) => getOrg(orgId).upsertContent(raw),
    removeContent: (orgId, contentId) => getOrg(orgId).removeContent(contentId),
    restoreContent: (orgId, contentId) => getOrg(orgId).restoreContent(contentId),
    setCatalogueSize: (orgId, n) => getOrg(orgId).setCatalogueSize(n),
    contentIdAt: (orgId, index) => getOrg(orgId).contentIdAt(index),
    setEnrollment: (orgId, raw) => getOrg(orgId).setEnrollment(raw),
    advanceEnrollment: (orgId, input) => getOrg(orgId).advanceEnrollment(input),
    touchEnrollments: (orgId, input) => getOrg(orgId).touchEnrollments(input),
    setEnrollmentCount(orgId, n) {
      getOrg(orgId).enrollmentCount = Math.max(0, Math.floor(n));
    },
    setMaxPageSize(n) {
      maxPageSize = Math.max(1, Math.floor(n));
    },
    setTotalVisible(orgId, visible) {
      getOrg(orgId).totalVisible = visible;
    },
    setApiAccess(orgId, enabled) {
      getOrg(orgId).apiAccess = enabled;
    },
    injectFault(spec) {
      const id = `fault-${++faultSeq}`;
      faults.push({
        id,
        endpoint: spec.endpoint,
        kind: spec.kind,
        afterRequests: Math.max(0, Math.floor(spec.afterRequests ?? 0)),
        remaining: normaliseTimes(spec.times),
        skipped: 0,
        delayMs: spec.delayMs ?? (spec.kind === "timeout" ? 60_000 : 1000),
        retryAfterSeconds: spec.retryAfterSeconds ?? 1,
      });
      return id;
    },
    clearFaults() {
      faults = [];
    },
    faults: () =>
      faults.map((f) => ({
        endpoint: f.endpoint,
        kind: f.kind,
        afterRequests: Math.max(0, f.afterRequests - f.skipped),
        times: f.remaining === Infinity ? "always" : f.remaining,
        delayMs: f.delayMs,
        retryAfterSeconds: f.retryAfterSeconds,
      })),
    revokeTokens() {
      tokens.clear();
    },
    reset() {
      faults = [];
      tokens.clear();
      maxPageSize = initialMaxPageSize;
      stats = emptyStats();
      loadOrgs();
    },
    stats: () => structuredClone(stats),
    serveHostileLinks(orgId) {
      const org = getOrg(orgId);
      const added = HOSTILE_LINKS.map((link, i) => ({ contentId: `hostile-${i}`, ...link, validLaunchUrl: null as string | null }));
      added.push({
        contentId: "hostile-then-valid",
        label: "a hostile link, then Coursera's",
        url: HOSTILE_LINKS[0].url,
        validLaunchUrl: `${publicBase}/programs/hostile-program?productId=hostile-then-valid&productType=course`,
      });
      for (const item of added)
        org.upsertContent(hostileContentElement(item.contentId, item.url, item.validLaunchUrl ?? undefined) as RawElement);
      return added;
    },
  };
  if (options.cachePages) {
    // Whatever a control call changes, no page rendered before it is served after it.
    for (const [name, method] of Object.entries(control)) {
      if (typeof method !== "function") continue;
      (control as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
        pageCache.clear();
        return (method as (...a: unknown[]) => unknown)(...args);
      };
    }
  }

  // --- production routes ------------------------------------------------------------------------

  /** Applies the faults that replace the answer; returns true when the request is settled. */
  async function applyPreFault(fault: ActiveFault | null, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (!fault) return false;
    switch (fault.kind) {
      case "rate-limit":
        sendJson(res, 429, { errorCode: "TooManyRequests", message: "Rate limit exceeded" });
        return true;
      case "rate-limit-retry-after":
        sendJson(
          res,
          429,
          { errorCode: "TooManyRequests", message: "Rate limit exceeded" },
          { "retry-after": String(fault.retryAfterSeconds) },
        );
        return true;
      case "server-error-500":
        sendJson(res, 500, { errorCode: "InternalServerError", message: "Something went wrong" });
        return true;
      case "server-error-503":
        sendJson(res, 503, { errorCode: "ServiceUnavailable", message: "Try again later" });
        return true;
      case "delay":
        await wait(fault.delayMs);
        return false;
      case "timeout":
        // Hang past any sensible client timeout, then drop the connection without an answer.
        await wait(fault.delayMs);
        req.socket.destroy();
        return true;
      case "reset":
        req.socket.destroy();
        return true;
      case "unauthorized-401":
        sendJson(res, 401, { errorCode: "Unauthorized", message: "Invalid or expired token" });
        return true;
      case "forbidden-403":
        sendJson(res, 403, { errorCode: "Forbidden", message: "API access is not enabled" });
        return true;
      case "not-found-404":
        sendJson(res, 404, { errorCode: "NotFound", message: "Not found" });
        return true;
      case "expire-token":
        tokens.clear();
        return false;
      default:
        return false;
    }
  }

  /** Writes a JSON body, spoiled as the fault says. */
  function sendPayload(
    res: ServerResponse,
    endpoint: SandboxEndpoint,
    body: { elements?: RawElement[] } & Record<string, unknown>,
    fault: ActiveFault | null,
  ): void {
    if (fault?.kind === "malformed-json") {
      const text = "<html><body>502 Bad Gateway</body></html>";
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    if (fault?.kind === "truncated-page") {
      const full = JSON.stringify(body);
      const text = full.slice(0, Math.max(1, Math.floor(full.length / 2)));
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    if (fault?.kind === "malformed-element" && Array.isArray(body.elements) && body.elements.length > 0) {
      const at = Math.min(1, body.elements.length - 1);
      const broken: RawElement = { ...body.elements[at] };
      if (endpoint === "contents") {
        delete broken.name;
        broken.lastUpdatedAt = "yesterday";
      } else if (endpoint === "programs") {
        delete broken.name;
      } else {
        broken.overallProgress = "most of it";
      }
      body = { ...body, elements: body.elements.map((e, i) => (i === at ? broken : e)) };
    }
    sendJson(res, 200, body);
  }

  async function handleToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests.token++;
    const fault = takeFault("token");
    if (latencyMs) await wait(latencyMs);
    if (await applyPreFault(fault, req, res)) return;
    const form = new URLSearchParams(await readBody(req, 100_000));
    if (form.get("grant_type") !== "client_credentials") {
      sendJson(res, 400, { error: "unsupported_grant_type" });
      return;
    }
    let clientId = form.get("client_id") ?? "";
    let clientSecret = form.get("client_secret") ?? "";
    const auth = req.headers.authorization ?? "";
    if (auth.toLowerCase().startsWith("basic ")) {
      const decoded = Buffer.from(auth.slice(6).trim(), "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon >= 0) {
        clientId = decoded.slice(0, colon);
        clientSecret = decoded.slice(colon + 1);
      }
    }
    const org = [...orgs.values()].find((o) => o.clientId === clientId && o.clientSecret === clientSecret);
    if (!org) {
      sendJson(res, 401, { error: "invalid_client", error_description: "Client authentication failed" });
      return;
    }
    const accessToken = randomBytes(24).toString("base64url");
    tokens.set(accessToken, { orgId: org.orgId, expiresAt: Date.now() + org.tokenTtlSeconds * 1000 });
    stats.tokensIssued++;
    stats.tokensIssuedByOrg[org.orgId] = (stats.tokensIssuedByOrg[org.orgId] ?? 0) + 1;
    sendPayload(
      res,
      "token",
      { token_type: "Bearer", access_token: accessToken, expires_in: org.tokenTtlSeconds, issued_at: String(Date.now()) },
      fault,
    );
  }

  function parseIntParam(url: URL, name: string, fallback: number): number {
    const raw = url.searchParams.get(name);
    if (raw === null || raw === "") return fallback;
    if (!/^\d+$/.test(raw)) throw new HttpError(400, `${name} must be a non-negative integer`);
    return Number(raw);
  }

  /**
   * An incremental filter of the enrollment reports: epoch milliseconds, as public client code sends
   * it (an ISO timestamp is accepted too); absent or empty: no filter.
   */
  function parseInstantParam(url: URL, name: string): number | undefined {
    const raw = url.searchParams.get(name);
    if (raw === null || raw === "") return undefined;
    const value = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
    if (!Number.isFinite(value)) throw new HttpError(400, `${name} must be epoch milliseconds or an ISO timestamp`);
    return value;
  }

  async function handleData(req: IncomingMessage, res: ServerResponse, url: URL, match: RegExpMatchArray): Promise<void> {
    const endpoint = match[3] as SandboxEndpoint;
    stats.requests[endpoint]++;
    const fault = takeFault(endpoint);
    if (latencyMs) await wait(latencyMs);
    if (await applyPreFault(fault, req, res)) return;
    if (req.method !== "GET") throw new HttpError(405, "method not allowed");
    const auth = req.headers.authorization ?? "";
    const token = auth.toLowerCase().startsWith("bearer ") ? tokens.get(auth.slice(7).trim()) : undefined;
    if (!token || token.expiresAt <= Date.now()) {
      stats.rejectedTokens++;
      sendJson(res, 401, { errorCode: "Unauthorized", message: "Invalid or expired token" });
      return;
    }
    // Without the /ent prefix Coursera answers 403, whatever the token.
    if (!match[1]) throw new HttpError(403, "use the /ent/api prefix");
    const org = getOrg(decodeURIComponent(match[2]));
    countOrgRequest(org.orgId);
    if (token.orgId !== org.orgId) throw new HttpError(403, "token does not belong to this organisation");
    if (!org.apiAccess) throw new HttpError(403, "API access is not enabled for this organisation");
    const start = parseIntParam(url, "start", 0);
    const limit = Math.min(maxPageSize, Math.max(1, parseIntParam(url, "limit", 100)));
    const filter =
      endpoint === "enrollmentReports"
        ? { lastActivityAfter: parseInstantParam(url, "lastActivityAfter"), completedAtAfter: parseInstantParam(url, "completedAtAfter") }
        : {};
    if (endpoint === "enrollmentReports") {
      const asked = filter.lastActivityAfter !== undefined || filter.completedAtAfter !== undefined;
      stats.lastEnrollmentFilterByOrg[org.orgId] = asked ? filter : null;
    }
    const filterKey = `${filter.lastActivityAfter ?? ""}\u0000${filter.completedAtAfter ?? ""}`;
    const cacheKey = options.cachePages && !fault ? `${org.orgId}\u0000${endpoint}\u0000${start}\u0000${limit}\u0000${filterKey}` : null;
    const cached = cacheKey === null ? undefined : pageCache.get(cacheKey);
    if (cached !== undefined) return sendJsonText(res, 200, cached);
    const page =
      endpoint === "contents"
        ? org.contentsPage(start, limit, publicBase)
        : endpoint === "programs"
          ? org.programsPage(start, limit, publicBase)
          : org.enrollmentsPage(start, limit, filter);
    const paging: Record<string, unknown> = {};
    const end = start + page.elements.length;
    if (page.elements.length > 0 && end < page.total) paging.next = String(end);
    if (org.totalVisible) paging.total = page.total;
    const body = { elements: page.elements, paging, linked: {} };
    if (cacheKey !== null) {
      const text = JSON.stringify(body);
      pageCache.set(cacheKey, text);
      return sendJsonText(res, 200, text);
    }
    sendPayload(res, endpoint, body, fault);
  }

  function handleLanding(res: ServerResponse, url: URL, slug: string): void {
    const productId = url.searchParams.get("productId") ?? "";
    const learner = url.searchParams.get("learner");
    for (const org of orgs.values()) {
      const program = org.programBySlug(slug);
      if (!program) continue;
      const content = productId ? org.findContent(productId, publicBase) : null;
      if (!content) {
        sendHtml(
          res,
          404,
          page(
            "Not found",
            `<h1>Coursera sandbox</h1><p>No content <code>${escapeHtml(productId)}</code> in program ${escapeHtml(slug)}.</p>`,
          ),
        );
        return;
      }
      const title = String(content.name ?? productId);
      sendHtml(
        res,
        200,
        page(
          title,
          `<h1>Coursera sandbox</h1><p data-testid="arrival">Coursera sandbox — you arrived at <strong>${escapeHtml(title)}</strong> ` +
            `(${escapeHtml(productId)}) in program ${escapeHtml(slug)}</p>` +
            (learner ? `<p data-testid="learner">Learner: ${escapeHtml(learner)}</p>` : "") +
            `<p>Organisation: ${escapeHtml(org.name)}</p>`,
        ),
      );
      return;
    }
    sendHtml(res, 404, page("Not found", `<h1>Coursera sandbox</h1><p>No program ${escapeHtml(slug)}.</p>`));
  }

  function page(title: string, body: string): string {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} | Coursera sandbox</title></head><body style="font-family:sans-serif;max-width:40rem;margin:3rem auto">${body}</body></html>`;
  }

  // --- control routes ---------------------------------------------------------------------------

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) throw new HttpError(403, "control API is for local callers only");
    const method = req.method ?? "GET";
    const parts = path.split("/").filter(Boolean).slice(1).map(decodeURIComponent); // drop "__control"
    const ok = (body: unknown = { ok: true }) => sendJson(res, 200, body);
    const [a, b, c, d, e] = parts;
    if (a === "stats" && method === "GET") return ok(control.stats());
    if (a === "reset" && method === "POST") return (control.reset(), ok());
    if (a === "revoke-tokens" && method === "POST") return (control.revokeTokens(), ok());
    if (a === "faults" && !b) {
      if (method === "GET") return ok(control.faults());
      if (method === "DELETE") return (control.clearFaults(), ok());
      if (method === "POST") {
        const body = await readJson<FaultSpec | FaultSpec[]>(req);
        const ids = (Array.isArray(body) ? body : [body]).map((spec) => control.injectFault(spec));
        return ok({ ok: true, ids });
      }
    }
    if (a === "max-page-size" && method === "PUT") {
      control.setMaxPageSize(Number((await readJson<{ maxPageSize: number }>(req)).maxPageSize));
      return ok();
    }
    if (a === "orgs" && !b) {
      if (method === "GET") return ok(control.orgIds());
      if (method === "POST") return (control.addOrg(await readJson<OrgConfig>(req)), ok());
    }
    if (a === "orgs" && b) {
      if (!c && method === "DELETE") return ok({ ok: control.removeOrg(b) });
      getOrg(b);
      if (c === "hostile-links" && method === "POST") return ok({ ok: true, added: control.serveHostileLinks(b) });
      if (c === "contents" && !d && method === "POST")
        return ok({ ok: true, contentId: control.upsertContent(b, await readJson<RawElement>(req)) });
      if (c === "contents" && d && !e && method === "DELETE") return ok({ ok: control.removeContent(b, d) });
      if (c === "contents" && d && e === "restore" && method === "POST") return ok({ ok: control.restoreContent(b, d) });
      if (c === "catalogue-size" && method === "PUT") {
        control.setCatalogueSize(b, Number((await readJson<{ size: number }>(req)).size));
        return ok();
      }
      if (c === "enrollment-count" && method === "PUT") {
        control.setEnrollmentCount(b, Number((await readJson<{ count: number }>(req)).count));
        return ok();
      }
      if (c === "total-visible" && method === "PUT") {
        control.setTotalVisible(b, Boolean((await readJson<{ visible: boolean }>(req)).visible));
        return ok();
      }
      if (c === "api-access" && method === "PUT") {
        control.setApiAccess(b, Boolean((await readJson<{ enabled: boolean }>(req)).enabled));
        return ok();
      }
      if (c === "enrollments" && d === "touch" && method === "POST") {
        const body = await readJson<{ every: number; offset?: number; at: number }>(req);
        return ok({ ok: true, touched: control.touchEnrollments(b, body) });
      }
      if (c === "enrollments" && method === "POST") {
        const body = await readJson<RawElement>(req);
        // A record with an id replaces or adds that record; otherwise it is a progress update.
        if (d === "advance" || typeof body.id !== "string") {
          return ok({ ok: true, record: control.advanceEnrollment(b, body as unknown as AdvanceEnrollmentInput) });
        }
        return ok({ ok: true, id: control.setEnrollment(b, body) });
      }
    }
    throw new HttpError(404, `no control route ${method} ${path}`);
  }

  // --- dispatch ---------------------------------------------------------------------------------

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox.local");
    const path = url.pathname;
    if (path === "/health") return sendJson(res, 200, { ok: true, orgs: orgs.size });
    if (path.startsWith("/__control/")) return handleControl(req, res, path);
    if (path === "/oauth2/client_credentials/token") {
      if (req.method !== "POST") throw new HttpError(405, "use POST");
      return handleToken(req, res);
    }
    const data = path.match(DATA_PATH);
    if (data) return handleData(req, res, url, data);
    const landing = path.match(/^\/programs\/([^/]+)\/?$/);
    if (landing && req.method === "GET") return handleLanding(res, url, decodeURIComponent(landing[1]));
    const asset = path.match(/^\/assets\/(promo|logo|people)\/([^/]+)\.svg$/);
    if (asset) {
      const body = svg(asset[1] === "promo" ? "Coursera Sandbox" : asset[2].replace(/-/g, " "), asset[2], asset[1] === "people");
      res.writeHead(200, { "content-type": "image/svg+xml", "cache-control": "public, max-age=86400" });
      res.end(body);
      return;
    }
    stats.requests.other++;
    sendJson(res, 404, { errorCode: "NotFound", message: `no route ${req.method} ${path}` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) sendJson(res, err.status, { errorCode: `Http${err.status}`, message: err.message });
      else sendJson(res, 500, { errorCode: "SandboxError", message: err instanceof Error ? err.message : String(err) });
    });
  });
  // Keep-alive sockets would otherwise keep close() waiting.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const displayHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  const url = `http://${displayHost}:${port}`;
  publicBase = (options.publicBaseUrl ?? url).replace(/\/+$/, "");

  let closed: Promise<void> | null = null;
  return {
    url,
    port,
    control,
    close() {
      if (!closed) {
        closed = new Promise<void>((resolve) => {
          for (const t of pendingTimers) clearTimeout(t);
          pendingTimers.clear();
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      return closed;
    },
  };
}
