import "server-only";
import { z } from "zod";
import { parseLinkOrigins } from "@/lib/coursera/urls";

/**
 * The validated environment, parsed once on first use. Nothing else in the
 * code base reads `process.env`: scripts that orchestrate child processes
 * (scripts/dev.ts, scripts/test.ts) only *write* it for their children.
 *
 * Parsing is lazy so that `next build`, which imports server modules without a
 * database, does not fail on variables it never uses.
 */
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalString,
  /** Pool size per process. PGlite serialises everything anyway. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  NEXTAUTH_SECRET: optionalString,
  NEXTAUTH_URL: optionalString,
  /** base64 of 32 random bytes: the AES-256-GCM key for secrets at rest. */
  ENCRYPTION_KEY: optionalString,
  /** The key being rotated away from, still accepted for decryption. */
  ENCRYPTION_KEY_PREVIOUS: optionalString,
  COURSERA_API_BASE_URL: z.string().url().default("https://api.coursera.com"),
  /**
   * Origins (comma-separated `scheme://host[:port]`) accepted for course launch and image links besides
   * Coursera's own https hosts (lib/coursera/urls.ts). npm run dev and npm test set the local sandbox's;
   * production leaves it empty.
   */
  COURSERA_ALLOWED_LINK_ORIGINS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const parsed = parseLinkOrigins(value);
      if (Array.isArray(parsed)) return parsed;
      ctx.addIssue({ code: "custom", message: parsed.error });
      return z.NEVER;
    }),
  /** Requests per second to Coursera per organisation and process; 0 lifts the limit (benchmarks). */
  COURSERA_REQUESTS_PER_SECOND: z.coerce.number().min(0).max(1000).default(10),
  INNGEST_EVENT_KEY: optionalString,
  INNGEST_SIGNING_KEY: optionalString,
  INNGEST_BASE_URL: optionalString,
  INNGEST_DEV: optionalString,
  /** "1": the web tier also serves /api/inngest for Inngest to invoke functions over HTTP (serverless-style). Default: workers only. */
  INNGEST_SERVE_HTTP: z.enum(["0", "1"]).default("0"),
  /** Set to "0" to keep the embedded runner from firing daily schedules (tests). */
  RUNNER_SCHEDULES: z.enum(["0", "1"]).default("1"),
  /** How long a worker owns a job without renewing its lease; a job whose lease expired is taken over by another worker. */
  RUNNER_LEASE_MS: z.coerce.number().int().min(500).max(3_600_000).default(60_000),
  /** Jobs one worker runs at once (different connectors). */
  RUNNER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** How long a worker asked to stop (SIGTERM) waits for its current steps before releasing them to other workers. */
  WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  /** This worker's name in the sync history and the job leases (default host:pid). */
  WORKER_NAME: optionalString,
  /** Port of the worker's health endpoint (GET /healthz); unset: no endpoint, the heartbeat row only. */
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Pages one sync step may write, and how long it may run before the next step takes over. */
  SYNC_STEP_MAX_PAGES: z.coerce.number().int().min(1).max(10_000).default(100),
  SYNC_STEP_MAX_MS: z.coerce.number().int().min(0).max(600_000).default(15_000),
  /** Page steps in one job run before a sync continues in a fresh run (Inngest allows 1,000 steps per run). */
  SYNC_PAGE_STEPS_PER_RUN: z.coerce.number().int().min(1).max(990).default(500),
  /**
   * Minutes between two incremental statistics syncs of a connector (lib/statistics/incremental.ts):
   * only the records Coursera reports changed since the last successful sync. 0 turns them off (the
   * daily full sync alone).
   */
  STATISTICS_INCREMENTAL_EVERY_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(1440)
    .refine((v) => v === 0 || v >= 5, "0 (off) or at least 5 minutes (the schedules' tick)")
    .default(60),
  /**
   * The SMTP server alert emails go through: smtp://user:password@host:587 (STARTTLS when offered)
   * or smtps://user:password@host:465. Unset: alerts stay in-app and the worker logs each email it
   * would have sent. Its value is never logged or shown (it may carry a password).
   */
  SMTP_URL: optionalString.refine((v) => v === undefined || (/^smtps?:\/\/\S+$/i.test(v) && URL.canParse(v)), {
    message: "must be an smtp:// or smtps:// URL",
  }),
  /** The From of alert emails. */
  SMTP_FROM: z.string().trim().min(3).max(300).default("Coursera connector <alerts@localhost>"),
  OIDC_ISSUER: optionalString,
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_NAME: z.string().default("Company SSO"),
  /**
   * Reverse proxies in front of the app that append the client's address to X-Forwarded-For: the
   * client address is the entry this many places from the right (lib/auth/throttle.ts clientAddress).
   */
  TRUSTED_PROXY_COUNT: z.coerce.number().int().min(1).max(10).default(1),
  NEXT_PHASE: optionalString,
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type Env = z.infer<typeof envSchema> & {
  /** Whether background functions go to an Inngest server or the in-process runner. */
  inngestMode: "server" | "in-process";
  oidcEnabled: boolean;
};

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  const e = parsed.data;
  cached = {
    ...e,
    inngestMode: e.INNGEST_EVENT_KEY || e.INNGEST_DEV || e.INNGEST_BASE_URL ? "server" : "in-process",
    oidcEnabled: Boolean(e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET),
  };
  return cached;
}

/**
 * Forgets the parsed environment so the next env() reads it again. Only for
 * scripts that point the process at a database they created after start (the
 * benchmarks' fresh databases); call disconnectDb() with it.
 */
export function resetEnvCache(): void {
  cached = undefined;
}

export function requireEnv<K extends keyof Env>(key: K): NonNullable<Env[K]> {
  const value = env()[key];
  if (value === undefined || value === null || value === "") {
    throw new Error(`${String(key)} is not set. See the README's configuration section.`);
  }
  return value as NonNullable<Env[K]>;
}
