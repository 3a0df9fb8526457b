import "server-only";
import { hostname } from "node:os";
import { Cron } from "croner";
import { NonRetriableError, RetryAfterError } from "inngest";
import type { DefinedFunction, FunctionDefinition, StepTools } from "@/inngest/define";
import { validateEventData } from "@/inngest/define";
import type { AppEvent } from "@/inngest/events";
import { INNGEST_LIMITS, InngestLimitError, jsonBytes } from "@/inngest/limits";
import * as store from "@/inngest/runner-store";
import { runWithWriteGuard } from "@/lib/database/write-guard";
import { workerIdentity } from "@/lib/sync/worker-identity";

/**
 * The embedded runner: executes the product's background functions
 * (inngest/define.ts) when no Inngest server is configured — the embedded
 * default, CI, and deployments that run `npm run worker` on PostgreSQL alone.
 * It runs exactly the handlers Inngest runs and keeps the part of Inngest's
 * contract they rely on:
 *   - event and cron triggers (a cron occurrence fires once, across restarts and processes);
 *   - step.run / step.sendEvent with outputs memoised in PostgreSQL, so a retry or a
 *     resumed run picks up after its last step;
 *   - retries with backoff (`retries`, NonRetriableError, RetryAfterError) and onFailure;
 *   - concurrency keys with limit 1, per function or shared (`scope: "env"`);
 *   - event ids: an event sent twice with the same id starts one run;
 *   - Inngest's limits per run (inngest/limits.ts), failing a run the way Inngest would.
 * Jobs are leased to one worker at a time (inngest/runner-store.ts): a worker
 * that dies or hangs loses its jobs to the next worker when its lease expires,
 * and its late writes are refused. SIGTERM drains: current steps finish, the
 * jobs go back to the queue, another worker resumes them.
 */

type AnyFunction = DefinedFunction<unknown>;
type Definition = FunctionDefinition<unknown>;

export interface RunnerOptions {
  /** Jobs this process runs at once (different concurrency keys). */
  concurrency?: number;
  /** How long a job stays owned without a renewal; the heartbeat renews every third of it. */
  leaseMs?: number;
  /** Delay before retry number `attempt` (1-based). */
  backoffMs?: (attempt: number) => number;
  pollMs?: number;
  log?: (message: string) => void;
  /** This worker's id in leases (default: the process's worker identity). */
  workerId?: string;
}

const SCHEDULE_EVENT = "inngest/scheduled.timer";

/** Thrown at a step boundary of a worker that is shutting down: the job goes back to the queue. */
class DrainInterrupt extends Error {
  constructor() {
    super("The worker is shutting down.");
    this.name = "DrainInterrupt";
  }
}

interface Execution {
  jobId: string;
  definition: Definition;
  eventData: unknown;
  lost: boolean;
}

const defaultBackoff = (attempt: number) => Math.min(60_000, 1_000 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);

export class EmbeddedRunner {
  readonly workerId: string;
  private readonly definitions: Definition[];
  private readonly options: Required<Omit<RunnerOptions, "workerId">>;
  private running = false;
  private draining = false;
  private wake?: () => void;
  private loops: Promise<void>[] = [];
  private cronTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;
  private readonly held = new Map<string, Execution>();

  constructor(functions: AnyFunction[], options: RunnerOptions = {}) {
    this.definitions = functions.map((f) => f.definition as Definition);
    this.workerId = options.workerId ?? workerIdentity();
    this.options = {
      concurrency: options.concurrency ?? 2,
      leaseMs: options.leaseMs ?? 60_000,
      backoffMs: options.backoffMs ?? defaultBackoff,
      pollMs: options.pollMs ?? 1_000,
      log: options.log ?? ((m) => console.log(`[worker] ${m}`)),
    };
  }

  private get functionIds(): string[] {
    return this.definitions.map((d) => d.id);
  }

  /** The job runs this worker holds right now. */
  get runningJobs(): string[] {
    return [...this.held.keys()];
  }

  /** Queues one run of every function each event triggers (once per event id). Returns the job run ids queued. */
  async send(events: AppEvent | AppEvent[]): Promise<string[]> {
    const jobs: store.NewJob[] = [];
    for (const event of [events].flat()) {
      if (jsonBytes(event) > INNGEST_LIMITS.eventBytes) {
        throw new InngestLimitError(
          `The ${event.name} event is larger than Inngest's limit of ${INNGEST_LIMITS.eventBytes / 1024} KB per event.`,
        );
      }
      for (const definition of this.definitions) {
        if (!("event" in definition.trigger) || definition.trigger.event.name !== event.name) continue;
        const valid = validateEventData(definition.trigger.event, event.data);
        if (!valid.ok) throw new Error(`Invalid ${event.name} event: ${valid.reason}`);
        jobs.push({
          functionId: definition.id,
          eventName: event.name,
          eventData: valid.data,
          eventId: event.id ?? null,
          concurrencyKeys: concurrencyKeysOf(definition, event),
          maxAttempts: definition.retries + 1,
        });
      }
    }
    const ids = await store.enqueueJobs(jobs);
    this.wake?.();
    return ids;
  }

  /** Starts claiming work (and, with `schedules`, firing the cron triggers) until stop(). */
  async start(options: { schedules: boolean }): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.draining = false;
    await this.reclaimFromDeadLocalWorkers();
    await this.beat();
    this.heartbeatTimer = setInterval(
      () => void this.beat().catch((e) => this.options.log(`heartbeat: ${(e as Error).message}`)),
      this.options.leaseMs / 3,
    );
    for (let i = 0; i < this.options.concurrency; i++) this.loops.push(this.workLoop());
    if (options.schedules) {
      await this.fireDueSchedules();
      this.cronTimer = setInterval(() => void this.fireDueSchedules().catch((e) => this.options.log(`cron: ${e}`)), 30_000);
    }
  }

  /**
   * Stops taking work and drains: each job finishes the step it is in, then
   * goes back to the queue for another worker (or this one's next start). After
   * `graceMs`, jobs still in a step are released anyway; their late writes are
   * refused once the lease is gone.
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    this.running = false;
    this.draining = true;
    clearInterval(this.cronTimer);
    this.wake?.();
    await recordWorkerSafely(this, { stopping: true });
    const drained = Promise.all(this.loops);
    const timedOut = await Promise.race([
      drained.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), options.graceMs ?? 25_000).unref()),
    ]);
    if (timedOut) {
      for (const execution of this.held.values()) await this.release(execution, "still in a step when the shutdown grace period ended");
    }
    clearInterval(this.heartbeatTimer);
    this.loops = [];
    await recordWorkerSafely(this, { stopped: true });
  }

  /**
   * Runs queued work in the caller's process until nothing is left (tests and
   * scripts). Retries scheduled in the future and expired leases are waited for.
   */
  async runUntilIdle(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const job = await store.claimNextJob(this.functionIds, this.workerId, this.options.leaseMs);
      if (job) {
        await this.execute(job);
        continue;
      }
      if ((await store.countPendingJobs(this.functionIds)) === 0) return;
      const due = await store.nextDueAt(this.functionIds);
      await sleep(Math.max(10, Math.min(250, (due?.getTime() ?? Date.now()) - Date.now())));
    }
    throw new Error("The runner did not become idle in time.");
  }

  /** Fires every cron occurrence that came due since the last one fired (at most one per function). */
  async fireDueSchedules(now = new Date()): Promise<number> {
    let fired = 0;
    for (const definition of this.definitions) {
      if (!("cron" in definition.trigger)) continue;
      const cron = definition.trigger.cron;
      const last = await store.getCronTick(definition.id);
      if (last === null) {
        // First start: schedules count from now, nothing is back-filled.
        await store.advanceCronTick(definition.id, null, now);
        continue;
      }
      const due = new Cron(cron, { timezone: "UTC", paused: true }).nextRun(last);
      if (!due || due > now) continue;
      if (!(await store.advanceCronTick(definition.id, last, now))) continue;
      await store.enqueueJobs([
        {
          functionId: definition.id,
          eventName: SCHEDULE_EVENT,
          eventData: { cron, scheduledFor: due.toISOString() },
          eventId: `cron-${due.toISOString()}`,
          concurrencyKeys: [],
          maxAttempts: definition.retries + 1,
        },
      ]);
      fired++;
    }
    if (fired > 0) this.wake?.();
    return fired;
  }

  /**
   * A worker restarted on the same machine need not wait a whole lease for the
   * jobs its previous incarnation held: a worker recorded on this host whose
   * process no longer exists (or whose pid is now this process's own) is gone,
   * and its jobs are taken over at once. Any doubt (the pid is alive, another
   * host) leaves them to the lease.
   */
  private async reclaimFromDeadLocalWorkers(): Promise<void> {
    const others = await store.runningWorkersOn(hostname(), this.workerId).catch(() => []);
    for (const other of others) {
      if (other.pid !== process.pid && isAlive(other.pid)) continue;
      const jobs = await store.expireLeasesOfDeadWorker(other.id);
      if (jobs > 0) this.options.log(`taking over ${jobs} job(s) of ${other.id}, which is no longer running on this host`);
    }
  }

  private async beat(): Promise<void> {
    for (const execution of this.held.values()) {
      if (execution.lost) continue;
      const owned = await store.renewLease(execution.jobId, this.workerId, this.options.leaseMs).catch(() => true);
      if (!owned) {
        execution.lost = true;
        this.options.log(`lost job ${execution.jobId} to another worker (its lease expired while this one was unresponsive)`);
      }
    }
    await recordWorkerSafely(this, {});
  }

  private async workLoop(): Promise<void> {
    while (this.running) {
      try {
        const job = await store.claimNextJob(this.functionIds, this.workerId, this.options.leaseMs);
        if (job) {
          await this.execute(job);
          continue;
        }
      } catch (error) {
        this.options.log(`claim: ${(error as Error).message}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async execute(job: store.ClaimedJob): Promise<void> {
    const definition = this.definitions.find((d) => d.id === job.functionId);
    if (!definition) {
      await store.markFailed(job.id, this.workerId, `No function ${job.functionId} is registered.`);
      return;
    }
    const execution: Execution = { jobId: job.id, definition, eventData: job.eventData, lost: false };
    this.held.set(job.id, execution);
    const event = { name: job.eventName, data: job.eventData, ts: job.createdAt.getTime(), id: job.eventId ?? job.id };
    try {
      if (job.takenOver) {
        this.options.log(`${definition.id}: took over job ${job.id} from ${job.previousOwner ?? "a worker"} (attempt ${job.attempt})`);
        await definition
          .onHandedOver?.({ event: { data: job.eventData }, previousWorker: job.previousOwner, reason: "lease-expired" })
          .catch((e) => this.options.log(`onHandedOver: ${(e as Error).message}`));
      }
      if (job.attempt > job.maxAttempts) {
        throw new NonRetriableError(`The worker running it stopped answering during its last attempt (${job.maxAttempts} attempts).`);
      }
      await definition.handler({ event, step: await this.stepTools(job, execution), attempt: job.attempt - 1, runId: job.id });
      if (!(await store.markSucceeded(job.id, this.workerId)))
        this.options.log(
          `${definition.id}: job ${job.id} finished here after another worker took it over; its result was not recorded twice`,
        );
    } catch (error) {
      await this.settleFailure(job, execution, event, error);
    } finally {
      this.held.delete(job.id);
    }
  }

  private async settleFailure(
    job: store.ClaimedJob,
    execution: Execution,
    event: { name: string; data: unknown },
    error: unknown,
  ): Promise<void> {
    const { definition } = execution;
    const err = error instanceof Error ? error : new Error(String(error));
    if (err instanceof store.LeaseLostError || execution.lost) {
      this.options.log(`${definition.id}: stopped job ${job.id}, which another worker now owns; nothing more was written by this worker`);
      return;
    }
    if (err instanceof DrainInterrupt) {
      await this.release(execution, "between two steps");
      return;
    }
    const final = isNonRetriable(err) || job.attempt >= job.maxAttempts;
    if (!final) {
      const delay = err instanceof RetryAfterError ? retryAfterMs(String(err.retryAfter)) : this.options.backoffMs(job.attempt);
      this.options.log(`${definition.id} attempt ${job.attempt} failed (${err.message}); retrying in ${Math.round(delay)} ms`);
      if (!(await store.markForRetry(job.id, this.workerId, err.message, new Date(Date.now() + delay)))) {
        this.options.log(`${definition.id}: job ${job.id} failed here after another worker took it over; its failure was not recorded`);
      }
      return;
    }
    this.options.log(`${definition.id} failed after ${job.attempt} attempt(s): ${err.message}`);
    if (!(await store.markFailed(job.id, this.workerId, err.message))) return;
    if (definition.onFailure) {
      const failure = { name: "inngest/function.failed", data: { event, error: { name: err.name, message: err.message } } };
      await definition
        .onFailure({ event: failure as never, error: err, runId: job.id })
        .catch((e: Error) => this.options.log(`${definition.id} onFailure threw: ${e.message}`));
    }
  }

  private async release(execution: Execution, when: string): Promise<void> {
    if (await store.releaseJob(execution.jobId, this.workerId).catch(() => false)) {
      this.options.log(`${execution.definition.id}: released job ${execution.jobId} ${when}, for another worker to resume`);
      await execution.definition
        .onHandedOver?.({ event: { data: execution.eventData }, previousWorker: this.workerId, reason: "released" })
        .catch((e) => this.options.log(`onHandedOver: ${(e as Error).message}`));
    }
    execution.lost = true;
  }

  /** Inngest's step tools, memoised in the database, within Inngest's limits, and only while this worker owns the job. */
  private async stepTools(job: store.ClaimedJob, execution: Execution): Promise<StepTools> {
    const memo = await store.loadSteps(job.id);
    let stateBytes = jsonBytes(job.eventData) + [...memo.values()].reduce<number>((sum, output) => sum + jsonBytes(output), 0);
    const seen = new Map<string, number>();
    const keyFor = (id: string) => {
      const n = seen.get(id) ?? 0;
      seen.set(id, n + 1);
      return n === 0 ? id : `${id}:${n}`;
    };
    const guard = (tx: Parameters<typeof store.assertLeaseHeld>[0]) => store.assertLeaseHeld(tx, job.id, this.workerId);

    const memoised = async <T>(id: string, work: () => Promise<T>): Promise<T> => {
      const key = keyFor(id);
      if (memo.has(key)) return memo.get(key) as T;
      if (execution.lost) throw new store.LeaseLostError(job.id);
      if (this.draining) throw new DrainInterrupt();
      if (memo.size + 1 > INNGEST_LIMITS.stepsPerRun) {
        throw new InngestLimitError(
          `${job.functionId} reached Inngest's limit of ${INNGEST_LIMITS.stepsPerRun.toLocaleString("en")} steps per run (step "${key}").`,
        );
      }
      const output = await runWithWriteGuard(guard, work);
      // Inngest serialises step outputs as JSON; so do we, so handlers see the same values.
      const json = output === undefined ? null : JSON.parse(JSON.stringify(output));
      const bytes = jsonBytes(json);
      if (bytes > INNGEST_LIMITS.stepOutputBytes) {
        throw new InngestLimitError(
          `Step "${key}" of ${job.functionId} returned ${bytes.toLocaleString("en")} bytes, over Inngest's limit of 4 MB per step.`,
        );
      }
      if (stateBytes + bytes > INNGEST_LIMITS.runStateBytes) {
        throw new InngestLimitError(`${job.functionId} reached Inngest's limit of 32 MB of state per run (step "${key}").`);
      }
      await store.saveStep(job.id, this.workerId, key, json);
      memo.set(key, json);
      stateBytes += bytes;
      return json as T;
    };
    return {
      run: (id, work) => memoised(id, async () => work()),
      sendEvent: (id, events) => memoised(id, async () => ({ ids: await this.send(events) })),
    };
  }
}

/** The scoped concurrency keys of a run: "fn:<function>:<value>" or "env:<value>". */
function concurrencyKeysOf(definition: Definition, event: { data: unknown }): string[] {
  const keys: string[] = [];
  for (const rule of definition.concurrency ?? []) {
    const value = evaluateKey(rule.key, event);
    if (value !== null) keys.push(rule.scope === "env" ? `env:${value}` : `fn:${definition.id}:${value}`);
  }
  return keys;
}

/**
 * Evaluates the subset of Inngest's key expressions the product uses:
 * `event.data.path`, optionally after a string literal and `+`. A path that is
 * missing yields null: no limit on that key.
 */
export function evaluateKey(expression: string, event: { data: unknown }): string | null {
  let out = "";
  for (const part of expression.split("+").map((p) => p.trim())) {
    const literal = /^"([^"]*)"$/.exec(part);
    if (literal) {
      out += literal[1];
      continue;
    }
    const path = part.split(".");
    if (path[0] !== "event") throw new Error(`Unsupported concurrency key expression: ${expression}`);
    let value: unknown = event;
    for (const step of path.slice(1)) value = (value as Record<string, unknown> | undefined)?.[step];
    if (value === undefined || value === null) return null;
    out += String(value);
  }
  return out;
}

function isNonRetriable(error: Error): boolean {
  return error instanceof NonRetriableError || error instanceof InngestLimitError || error.name === "NonRetriableError";
}

async function recordWorkerSafely(runner: EmbeddedRunner, state: { stopping?: boolean; stopped?: boolean }): Promise<void> {
  await store
    .recordWorker({ id: runner.workerId, host: hostname(), pid: process.pid, mode: "embedded", running: runner.runningJobs, ...state })
    .catch(() => {});
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function retryAfterMs(retryAfter: string): number {
  const date = Date.parse(retryAfter);
  if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  const seconds = Number(retryAfter);
  return Number.isFinite(seconds) ? seconds * 1000 : 1_000;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
