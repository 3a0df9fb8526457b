import "server-only";
import {
  createCourseraClient,
  createRateLimiter,
  type CourseraClient,
  type CourseraClientOptions,
  type RateLimiter,
} from "@/lib/coursera/client";
import { orgSharedError } from "@/lib/coursera/errors";
import { mayUseOrg } from "@/lib/connectors/queries";
import { decryptSecret } from "@/lib/crypto/secrets";
import { env } from "@/lib/env";

/**
 * Process-wide client options layered over the production defaults. Only tests
 * and benchmarks set them (the sandbox's random port, no rate limit, short
 * backoff), so the syncs they exercise build their client exactly as in
 * production otherwise.
 */
export type CourseraClientOverrides = Partial<Omit<CourseraClientOptions, "orgId" | "clientId" | "clientSecret">>;

let clientOverrides: CourseraClientOverrides = {};

/** The one injection point for the Coursera client: every client the product builds goes through courseraClientFor. */
export function setCourseraClientOverrides(overrides: CourseraClientOverrides): void {
  clientOverrides = { ...overrides };
}

/**
 * One request budget per Coursera organisation and process: a sync builds a
 * client per step, and a per-client limiter would let each step start afresh.
 */
const limiters = new Map<string, RateLimiter>();

function limiterFor(baseUrl: string, orgId: string, requestsPerSecond: number): RateLimiter {
  const key = `${baseUrl}|${orgId}|${requestsPerSecond}`;
  let limiter = limiters.get(key);
  if (!limiter) limiters.set(key, (limiter = createRateLimiter(requestsPerSecond)));
  return limiter;
}

/**
 * The Coursera client for a set of credentials (a connector's, or those an
 * admin is testing). Tokens are cached per credentials by the client itself, so
 * consecutive steps reuse them.
 */
/** The budget of a call a person waits for on a page (a few seconds), instead of a sync step's patient retries. */
export const INTERACTIVE_BUDGET = { maxAttempts: 2, timeoutMs: 10_000, maxRetryTimeMs: 15_000 } as const;

type CallBudget = Partial<Pick<CourseraClientOptions, "maxAttempts" | "timeoutMs" | "maxRetryTimeMs">>;

export function courseraClientFor(credentials: { orgId: string; clientId: string; clientSecret: string }, budget: CallBudget = {}) {
  const baseUrl = clientOverrides.baseUrl ?? env().COURSERA_API_BASE_URL;
  const requestsPerSecond = clientOverrides.requestsPerSecond ?? env().COURSERA_REQUESTS_PER_SECOND;
  return createCourseraClient({
    baseUrl,
    rateLimiter: limiterFor(baseUrl, credentials.orgId, requestsPerSecond),
    ...clientOverrides,
    ...budget,
    orgId: credentials.orgId,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
  });
}

/**
 * The Coursera client of one connector, its secret decrypted only here, in
 * memory, for the duration of a sync step. Given the connector's platform, its
 * first call checks the platform may use the organisation (one platform per
 * organisation unless a CSM allowed sharing it, lib/connectors/org-sharing.ts):
 * a second connection saved before that check existed syncs nothing of
 * another customer's.
 */
export function courseraClientForConnector(
  connector: {
    platformId?: string;
    orgId: string | null;
    clientId: string | null;
    clientSecretEncrypted: string | null;
  },
  budget: CallBudget = {},
): CourseraClient {
  if (!connector.orgId || !connector.clientId || !connector.clientSecretEncrypted) {
    throw new Error("The connector has no Coursera credentials.");
  }
  const client = courseraClientFor(
    {
      orgId: connector.orgId,
      clientId: connector.clientId,
      clientSecret: decryptSecret(connector.clientSecretEncrypted),
    },
    budget,
  );
  if (!connector.platformId) return client;
  const { platformId, orgId } = connector;
  let allowed: Promise<void> | null = null;
  const ensure = () =>
    (allowed ??= mayUseOrg(platformId, orgId).then((ok) => {
      if (!ok) throw orgSharedError();
    }));
  const page =
    <R, T>(fetch: (req?: R) => Promise<T>) =>
    async (req?: R) => {
      await ensure();
      return fetch(req);
    };
  const list = <O, T>(stream: (opts?: O) => AsyncGenerator<T, void, undefined>) =>
    async function* (opts?: O): AsyncGenerator<T, void, undefined> {
      await ensure();
      yield* stream(opts);
    };
  return {
    ...client,
    fetchContentsPage: page(client.fetchContentsPage),
    fetchEnrollmentsPage: page(client.fetchEnrollmentsPage),
    fetchProgramsPage: page(client.fetchProgramsPage),
    listContents: list(client.listContents),
    listEnrollments: list(client.listEnrollments),
    listPrograms: list(client.listPrograms),
  };
}
