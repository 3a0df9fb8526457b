import "server-only";
import { createHash } from "node:crypto";
import {
  CourseraError,
  apiAccessDisabledError,
  badCredentialsError,
  malformedResponseError,
  unavailableError,
  unexpectedResponseError,
  unknownOrgError,
} from "@/lib/coursera/errors";
import {
  normaliseContent,
  normaliseEnrollment,
  normaliseProgram,
  pagingEnvelopeSchema,
  tokenResponseSchema,
  type CourseraContent,
  type CourseraEnrollment,
  type CourseraProgram,
  type ElementResult,
  type InvalidElement,
} from "@/lib/coursera/schema";
import { courseraPathSegment } from "@/lib/coursera/ids";

/**
 * The production Coursera for Business client (contract: /work/shared/coursera-api.md).
 *
 * Background jobs call the single-page reads, one job step per page, so a crash resumes at the page
 * it stopped on; the streaming iterators are for scripts and benchmarks. All configuration arrives
 * as explicit options: this module never reads the environment.
 */

// ---------------------------------------------------------------------------------------------
// Token cache

export interface CachedToken {
  accessToken: string;
  /** epoch ms */
  expiresAt: number;
  /** epoch ms; lets very short-lived tokens renew at half-life instead of always. */
  issuedAt?: number;
}

/** Pluggable so that several processes could share tokens (e.g. through the database). */
export interface TokenCache {
  get(key: string): CachedToken | undefined | Promise<CachedToken | undefined>;
  set(key: string, token: CachedToken): void | Promise<void>;
  delete(key: string): void | Promise<void>;
}

export function createMemoryTokenCache(): TokenCache {
  const map = new Map<string, CachedToken>();
  return {
    get: (key) => map.get(key),
    set: (key, token) => void map.set(key, token),
    delete: (key) => void map.delete(key),
  };
}

/** Shared by every client in the process, so a token outlives one job step. */
const defaultTokenCache = createMemoryTokenCache();

// ---------------------------------------------------------------------------------------------
// Public types

export interface CourseraClientOptions {
  baseUrl: string;
  orgId: string;
  clientId: string;
  clientSecret: string;
  /** Per HTTP attempt, including reading the body. Default 30 000. */
  timeoutMs?: number;
  /** Default 6. */
  maxAttempts?: number;
  /** Total time a single call may spend retrying. Default 120 000. */
  maxRetryTimeMs?: number;
  /** Shared by all calls of this client instance. Default 10; 0 or Infinity disables. */
  requestsPerSecond?: number;
  /**
   * A limiter shared with other client instances (see createRateLimiter), so that
   * the calls of every step of a sync count against one budget. Overrides
   * requestsPerSecond.
   */
  rateLimiter?: RateLimiter;
  /** Default 1000. */
  pageSize?: number;
  /** Exponential backoff base and cap. Defaults 500 and 30 000. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  fetchImpl?: typeof fetch;
  /** Used for backoff waits only, so tests can shrink them. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  tokenCache?: TokenCache;
  /** Budget for testConnection(). Defaults: 2 attempts, 10 s timeout, 15 s total. */
  testConnectionBudget?: { maxAttempts?: number; timeoutMs?: number; maxRetryTimeMs?: number };
}

export interface PageRequest {
  start?: number;
  limit?: number;
}

/**
 * The enrollment reports' incremental filters: only records whose last activity, or completion, is
 * after `changedSince` (sent as `lastActivityAfter` and `completedAtAfter`, epoch milliseconds, and
 * Coursera reads the two as either). Best effort: a server that ignores them sends the whole listing.
 */
export interface EnrollmentPageRequest extends PageRequest {
  changedSince?: Date | null;
}

export interface CourseraPage<T> {
  items: T[];
  invalid: InvalidElement[];
  start: number;
  /** Offset of the next page, null when this was the last one. */
  next: number | null;
  /** Coursera's total when it sent one. Not reliable for termination. */
  total: number | null;
  /** Elements in the response before validation. */
  rawCount: number;
}

export interface CourseraStreamPage<T> extends CourseraPage<T> {
  /** Items dropped because an earlier page of this listing already had their id. */
  duplicates: number;
}

export interface ListOptions {
  pageSize?: number;
  start?: number;
}

export type TestConnectionField = "clientCredentials" | "orgId" | "apiAccess" | "network";

export type TestConnectionResult =
  { ok: true; sampleCount: number; total: number | null } | { ok: false; code: string; field: TestConnectionField; message: string };

export interface CourseraClient {
  readonly orgId: string;
  fetchContentsPage(req?: PageRequest): Promise<CourseraPage<CourseraContent>>;
  fetchEnrollmentsPage(req?: EnrollmentPageRequest): Promise<CourseraPage<CourseraEnrollment>>;
  fetchProgramsPage(req?: PageRequest): Promise<CourseraPage<CourseraProgram>>;
  listContents(opts?: ListOptions): AsyncGenerator<CourseraStreamPage<CourseraContent>, void, undefined>;
  listEnrollments(opts?: ListOptions): AsyncGenerator<CourseraStreamPage<CourseraEnrollment>, void, undefined>;
  listPrograms(opts?: ListOptions): AsyncGenerator<CourseraStreamPage<CourseraProgram>, void, undefined>;
  testConnection(): Promise<TestConnectionResult>;
}

// ---------------------------------------------------------------------------------------------
// Internals

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for the next request slot. */
export type RateLimiter = () => Promise<void>;

/** Spaces request starts at least 1/rps apart, across every call that shares the instance. */
export function createRateLimiter(requestsPerSecond: number): RateLimiter {
  const interval = requestsPerSecond > 0 && Number.isFinite(requestsPerSecond) ? 1000 / requestsPerSecond : 0;
  let nextSlot = 0;
  return async function acquire(): Promise<void> {
    if (interval === 0) return;
    const now = Date.now();
    const wait = Math.max(0, nextSlot - now);
    nextSlot = Math.max(now, nextSlot) + interval;
    // A real timer, not the injectable sleep: the limiter protects Coursera, tests included.
    if (wait > 0) await defaultSleep(wait);
  };
}

/** Seconds or an HTTP-date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

type Attempt<T> =
  | { kind: "ok"; value: T }
  | { kind: "fail"; error: CourseraError }
  | { kind: "retry"; problem: string; malformed: boolean; retryAfterMs?: number | null; cause?: unknown }
  /** Replay at once without counting an attempt (the single token refresh after a 401). */
  | { kind: "replay" };

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

interface Budget {
  maxAttempts: number;
  timeoutMs: number;
  maxRetryTimeMs: number;
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `network error ${cause.code}`;
  if (cause?.message) return `network error (${cause.message})`;
  return `network error (${err instanceof Error ? err.message : String(err)})`;
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function parseNext(next: string | number | null | undefined): number | null | "bad" {
  if (next === null || next === undefined || next === "") return null;
  const n = typeof next === "number" ? next : /^\s*\d+\s*$/.test(next) ? Number(next) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : "bad";
}

interface ParsedEnvelope {
  elements: unknown[];
  next: number | null;
  total: number | null;
}

export function createCourseraClient(options: CourseraClientOptions): CourseraClient {
  const baseUrl = new URL(options.baseUrl).toString().replace(/\/+$/, "");
  const { orgId, clientId, clientSecret } = options;
  const fetchImpl = options.fetchImpl ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const tokenCache = options.tokenCache ?? defaultTokenCache;
  const pageSize = options.pageSize ?? 1000;
  const backoffBase = options.backoffBaseMs ?? 500;
  const backoffCap = options.backoffCapMs ?? 30_000;
  const acquire = options.rateLimiter ?? createRateLimiter(options.requestsPerSecond ?? 10);
  const cacheKey = `${baseUrl}|${clientId}|${createHash("sha256").update(clientSecret).digest("hex")}`;
  const basicAuth = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
  // Every path segment is checked and encoded: an org id that is not of Coursera's shape ("..", "a/b")
  // is refused before any request, so the organisation's token never reaches another path.
  const orgSegment = courseraPathSegment(orgId);
  const dataBase = orgSegment === null ? null : `${baseUrl}/ent/api/businesses.v1/${orgSegment}`;

  const mainBudget: Budget = {
    maxAttempts: Math.max(1, options.maxAttempts ?? 6),
    timeoutMs: options.timeoutMs ?? 30_000,
    maxRetryTimeMs: options.maxRetryTimeMs ?? 120_000,
  };
  const testBudget: Budget = {
    maxAttempts: Math.max(1, options.testConnectionBudget?.maxAttempts ?? 2),
    timeoutMs: options.testConnectionBudget?.timeoutMs ?? Math.min(mainBudget.timeoutMs, 10_000),
    maxRetryTimeMs: options.testConnectionBudget?.maxRetryTimeMs ?? 15_000,
  };

  /** One HTTP exchange with the timeout covering the body too (a truncated stream must not hang). */
  async function send(url: string, init: RequestInit, budget: Budget): Promise<RawResponse> {
    await acquire();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), budget.timeoutMs);
    try {
      const res = await fetchImpl(url, { ...init, signal: controller.signal });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text };
    } finally {
      clearTimeout(timer);
    }
  }

  async function withRetries<T>(budget: Budget, run: () => Promise<Attempt<T>>): Promise<T> {
    const startedAt = Date.now();
    let attempts = 0;
    for (;;) {
      attempts++;
      const outcome = await run();
      if (outcome.kind === "ok") return outcome.value;
      if (outcome.kind === "fail") throw outcome.error;
      if (outcome.kind === "replay") {
        attempts--;
        continue;
      }
      const giveUp = () =>
        outcome.malformed
          ? malformedResponseError(attempts, outcome.problem, outcome.cause)
          : unavailableError(attempts, outcome.problem, outcome.cause);
      if (attempts >= budget.maxAttempts) throw giveUp();
      const exp = Math.min(backoffCap, backoffBase * 2 ** (attempts - 1));
      const delay = outcome.retryAfterMs ?? Math.floor(random() * exp);
      if (Date.now() - startedAt + delay > budget.maxRetryTimeMs) throw giveUp();
      await sleep(delay);
    }
  }

  /** Wraps send() so that transport failures become retry outcomes. */
  async function attemptSend(url: string, init: RequestInit, budget: Budget): Promise<RawResponse | Attempt<never>> {
    try {
      return await send(url, init, budget);
    } catch (err) {
      const aborted = (err as { name?: string })?.name === "AbortError";
      return {
        kind: "retry",
        problem: aborted ? `no answer within ${Math.round(budget.timeoutMs / 1000)} s` : describeNetworkError(err),
        malformed: false,
        cause: err,
      };
    }
  }

  function retryFor(res: RawResponse): Attempt<never> {
    return {
      kind: "retry",
      problem: `HTTP ${res.status}`,
      malformed: false,
      retryAfterMs: res.status === 429 || res.status === 503 ? parseRetryAfter(res.headers.get("retry-after")) : null,
    };
  }

  let minting: Promise<CachedToken> | null = null;

  async function mintToken(budget: Budget): Promise<CachedToken> {
    const token = await withRetries<CachedToken>(budget, async () => {
      const res = await attemptSend(
        `${baseUrl}/oauth2/client_credentials/token`,
        {
          method: "POST",
          headers: {
            authorization: basicAuth,
            "content-type": "application/x-www-form-urlencoded",
            accept: "application/json",
          },
          body: "grant_type=client_credentials",
        },
        budget,
      );
      if ("kind" in res) return res;
      if (res.status === 400 || res.status === 401) return { kind: "fail", error: badCredentialsError(res.status) };
      if (res.status === 403) return { kind: "fail", error: apiAccessDisabledError(orgId, 403) };
      if (isRetryableStatus(res.status)) return retryFor(res);
      if (res.status !== 200) return { kind: "fail", error: unexpectedResponseError(res.status, "the token request") };
      const json = parseJson(res.text);
      const parsed = json.ok ? tokenResponseSchema.safeParse(json.value) : null;
      if (!parsed?.success) return { kind: "retry", problem: "unreadable token response", malformed: true };
      const ttlMs = Math.max(1, parsed.data.expires_in ?? 1799) * 1000;
      const issuedAt = Date.now();
      return { kind: "ok", value: { accessToken: parsed.data.access_token, issuedAt, expiresAt: issuedAt + ttlMs } };
    });
    await tokenCache.set(cacheKey, token);
    return token;
  }

  /** Renew when fewer than 60 s remain (or half the lifetime, for very short-lived tokens). */
  function stillFresh(token: CachedToken): boolean {
    const lifetime = token.issuedAt === undefined ? Infinity : token.expiresAt - token.issuedAt;
    return token.expiresAt - Date.now() > Math.min(60_000, lifetime / 2);
  }

  async function getToken(budget: Budget, forceFresh = false): Promise<string> {
    if (!forceFresh) {
      const cached = await tokenCache.get(cacheKey);
      if (cached && stillFresh(cached)) return cached.accessToken;
    }
    // Concurrent callers share one mint instead of each asking for a token.
    if (!minting) minting = mintToken(budget).finally(() => (minting = null));
    return (await minting).accessToken;
  }

  async function dropToken(accessToken: string): Promise<void> {
    const cached = await tokenCache.get(cacheKey);
    if (cached?.accessToken === accessToken) await tokenCache.delete(cacheKey);
  }

  async function getEnvelope(path: string, query: string, budget: Budget): Promise<ParsedEnvelope> {
    const segment = courseraPathSegment(path);
    if (dataBase === null || segment === null) throw unknownOrgError(orgId);
    const url = `${dataBase}/${segment}?${query}`;
    let refreshed = false;
    return withRetries<ParsedEnvelope>(budget, async () => {
      const accessToken = await getToken(budget);
      const res = await attemptSend(
        url,
        { method: "GET", headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" } },
        budget,
      );
      if ("kind" in res) return res;
      if (res.status === 401) {
        await dropToken(accessToken);
        if (refreshed) return { kind: "fail", error: badCredentialsError(401) };
        refreshed = true;
        return { kind: "replay" };
      }
      if (res.status === 403) return { kind: "fail", error: apiAccessDisabledError(orgId) };
      if (res.status === 404) return { kind: "fail", error: unknownOrgError(orgId) };
      if (isRetryableStatus(res.status)) return retryFor(res);
      if (res.status < 200 || res.status >= 300) return { kind: "fail", error: unexpectedResponseError(res.status, `the ${path} request`) };
      const json = parseJson(res.text);
      if (!json.ok) return { kind: "retry", problem: `${path} page is not valid JSON`, malformed: true };
      const env = pagingEnvelopeSchema.safeParse(json.value);
      if (!env.success) return { kind: "retry", problem: `${path} page has no elements list`, malformed: true };
      const next = parseNext(env.data.paging?.next);
      if (next === "bad") return { kind: "retry", problem: `${path} page has an unreadable paging.next`, malformed: true };
      const total = env.data.paging?.total;
      return {
        kind: "ok",
        value: { elements: env.data.elements, next, total: total === undefined || total === null ? null : total },
      };
    });
  }

  async function fetchPage<T>(
    path: string,
    normalise: (raw: unknown) => ElementResult<T>,
    req: PageRequest | undefined,
    extraQuery = "",
    budget = mainBudget,
  ): Promise<CourseraPage<T>> {
    const start = Math.max(0, Math.floor(req?.start ?? 0));
    const limit = Math.max(1, Math.floor(req?.limit ?? pageSize));
    const env = await getEnvelope(path, `start=${start}&limit=${limit}${extraQuery}`, budget);
    const items: T[] = [];
    const invalid: InvalidElement[] = [];
    for (const raw of env.elements) {
      const r = normalise(raw);
      if (r.ok) items.push(r.value);
      else invalid.push({ id: r.id, reason: r.reason });
    }
    // Defensive stops: an empty page or a `next` that does not move forward would loop forever.
    const next = env.elements.length === 0 || env.next === null || env.next <= start ? null : env.next;
    return { items, invalid, start, next, total: env.total, rawCount: env.elements.length };
  }

  async function* stream<T>(
    fetchOne: (req: PageRequest) => Promise<CourseraPage<T>>,
    idOf: (item: T) => string,
    opts: ListOptions | undefined,
  ): AsyncGenerator<CourseraStreamPage<T>, void, undefined> {
    // Ids only, never items: memory stays flat however long the listing is.
    const seen = new Set<string>();
    let start: number | null = Math.max(0, opts?.start ?? 0);
    const limit = opts?.pageSize ?? pageSize;
    while (start !== null) {
      const page = await fetchOne({ start, limit });
      const fresh: T[] = [];
      let duplicates = 0;
      for (const item of page.items) {
        const id = idOf(item);
        if (seen.has(id)) duplicates++;
        else {
          seen.add(id);
          fresh.push(item);
        }
      }
      yield { ...page, items: fresh, duplicates };
      start = page.next;
    }
  }

  const fetchContentsPage = (req?: PageRequest) => fetchPage("contents", normaliseContent, req);
  const fetchEnrollmentsPage = (req?: EnrollmentPageRequest) => {
    const since = req?.changedSince?.getTime();
    const window = since === undefined || !Number.isFinite(since) ? "" : `&lastActivityAfter=${since}&completedAtAfter=${since}`;
    return fetchPage("enrollmentReports", normaliseEnrollment, req, `&includeS12n=true${window}`);
  };
  const fetchProgramsPage = (req?: PageRequest) => fetchPage("programs", normaliseProgram, req);

  async function testConnection(): Promise<TestConnectionResult> {
    try {
      if (dataBase === null) throw unknownOrgError(orgId);
      // A fresh token on purpose: a cached one would not prove the credentials still work.
      await getToken(testBudget, true);
      const page = await fetchPage("contents", normaliseContent, { start: 0, limit: 1 }, "", testBudget);
      return { ok: true, sampleCount: page.rawCount, total: page.total };
    } catch (err) {
      if (!(err instanceof CourseraError)) throw err;
      const field: TestConnectionField =
        err.code === "BAD_CREDENTIALS"
          ? "clientCredentials"
          : err.code === "UNKNOWN_ORG"
            ? "orgId"
            : err.code === "API_ACCESS_DISABLED"
              ? "apiAccess"
              : "network";
      return { ok: false, code: err.code, field, message: err.message };
    }
  }

  return {
    orgId,
    fetchContentsPage,
    fetchEnrollmentsPage,
    fetchProgramsPage,
    listContents: (opts) => stream(fetchContentsPage, (c) => c.contentId, opts),
    listEnrollments: (opts) => stream(fetchEnrollmentsPage, (e) => e.recordId, opts),
    listPrograms: (opts) => stream(fetchProgramsPage, (p) => p.programId, opts),
    testConnection,
  };
}
