import "server-only";
import { Cron } from "croner";
import { NonRetriableError, RetryAfterError, durationToMs, type InngestFunction } from "inngest";
import type { AppEvent } from "@/inngest/events";
import * as store from "@/inngest/runner-store";

/**
 * The in-process runner: executes the very InngestFunction handlers that an
 * Inngest server would call, when no Inngest server is configured (the
 * embedded default and CI). It is a fallback for one machine, not a second
 * engine, so it keeps only what the product relies on:
 *   - event triggers and cron triggers (cron fired once per occurrence, even across restarts),
 *   - step.run / step.sendEvent / step.sleep with outputs memoised in the database,
 *     so a retry, or a restart after the process died, resumes instead of restarting,
 *   - retries with backoff (`retries` option, NonRetriableError, RetryAfterError) and onFailure,
 *   - one run at a time per concurrency key (`concurrency: { key: "event.data.x" }`).
 */

type Handler = (ctx: Record<string, unknown>) => Promise<unknown>;

interface Trigger {
  event?: string;
  cron?: string;
  schema?: { "~standard": { validate(value: unknown): unknown } };
}

interface RunnableFunction {
  id: string;
  triggers: Trigger[];
  handler: Handler;
  onFailure?: Handler;
  maxAttempts: number;
  concurrencyKey?: string;
}

export interface RunnerOptions {
  /** Parallel runs in this process (different concurrency keys). */
  workers?: number;
  /** Delay before retry number `attempt` (1-based). */
  backoffMs?: (attempt: number) => number;
  pollMs?: number;
  log?: (message: string) => void;
}

const SCHEDULE_EVENT = "inngest/scheduled.timer";

function describe(fn: InngestFunction.Any): RunnableFunction {
  const opts = fn.opts as {
    id: string;
    triggers?: Trigger | Trigger[];
    retries?: number;
    concurrency?: number | { key?: string } | { key?: string }[];
  };
  const internals = fn as unknown as { fn: Handler; onFailureFn?: Handler };
  const concurrency = [opts.concurrency].flat().find((c): c is { key?: string } => typeof c === "object" && c !== null);
  return {
    id: opts.id,
    triggers: [opts.triggers ?? []].flat(),
    handler: internals.fn,
    onFailure: internals.onFailureFn,
    // Inngest's default is 3 retries, i.e. 4 attempts.
    maxAttempts: (opts.retries ?? 3) + 1,
    concurrencyKey: concurrency?.key,
  };
}

/** Evaluates the simple `event.data.path` expressions used as concurrency keys. */
function evaluateKey(expression: string | undefined, event: AppEvent | { name: string; data: unknown }): string | null {
  if (!expression) return null;
  const path = expression.trim().split(".");
  if (path[0] !== "event") throw new Error(`Unsupported concurrency key expression: ${expression}`);
  let value: unknown = event;
  for (const part of path.slice(1)) value = (value as Record<string, unknown> | undefined)?.[part];
  return value === undefined || value === null ? null : String(value);
}

const defaultBackoff = (attempt: number) => Math.min(60_000, 1_000 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);

export class InProcessRunner {
  private readonly fns: RunnableFunction[];
  private readonly options: Required<RunnerOptions>;
  private running = false;
  private wake?: () => void;
  private loops: Promise<void>[] = [];
  private cronTimer?: NodeJS.Timeout;

  constructor(functions: InngestFunction.Any[], options: RunnerOptions = {}) {
    this.fns = functions.map(describe);
    this.options = {
      workers: options.workers ?? 2,
      backoffMs: options.backoffMs ?? defaultBackoff,
      pollMs: options.pollMs ?? 1_000,
      log: options.log ?? ((m) => console.log(`[runner] ${m}`)),
    };
  }

  private get functionIds(): string[] {
    return this.fns.map((f) => f.id);
  }

  /** Queues one run of every function triggered by each event. Returns the job run ids. */
  async send(events: AppEvent | AppEvent[] | { name: string; data: unknown }[]): Promise<string[]> {
    const ids: string[] = [];
    for (const event of [events].flat()) {
      for (const fn of this.fns) {
        const trigger = fn.triggers.find((t) => t.event === event.name);
        if (!trigger) continue;
        if (trigger.schema) {
          const result = (await trigger.schema["~standard"].validate(event.data)) as { issues?: { message: string }[] };
          if (result.issues) throw new Error(`Invalid ${event.name} event: ${result.issues.map((i) => i.message).join(", ")}`);
        }
        const job = await store.enqueueJob({
          functionId: fn.id,
          eventName: event.name,
          eventData: event.data,
          concurrencyKey: evaluateKey(fn.concurrencyKey, event),
          maxAttempts: fn.maxAttempts,
        });
        ids.push(job.id);
      }
    }
    this.wake?.();
    return ids;
  }

  /** Starts the worker loops and the cron clock. */
  async start(options: { schedules: boolean }): Promise<void> {
    if (this.running) return;
    this.running = true;
    const requeued = await store.requeueAbandonedJobs();
    if (requeued > 0) this.options.log(`resuming ${requeued} run(s) interrupted by a restart`);
    for (let i = 0; i < this.options.workers; i++) this.loops.push(this.workLoop());
    if (options.schedules) {
      await this.fireDueSchedules();
      this.cronTimer = setInterval(() => void this.fireDueSchedules().catch((e) => this.options.log(`cron: ${e}`)), 30_000);
      this.cronTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.cronTimer);
    this.wake?.();
    await Promise.all(this.loops);
    this.loops = [];
  }

  /**
   * Runs queued work in the caller's process until nothing is left (tests and
   * scripts). Retries scheduled in the future are waited for.
   */
  async runUntilIdle(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const job = await store.claimNextJob(this.functionIds);
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
    for (const fn of this.fns) {
      for (const trigger of fn.triggers) {
        if (!trigger.cron) continue;
        const last = await store.getCronTick(fn.id);
        if (last === null) {
          // First start: schedules count from now, nothing is back-filled.
          await store.advanceCronTick(fn.id, null, now);
          continue;
        }
        const due = new Cron(trigger.cron, { timezone: "UTC", paused: true }).nextRun(last);
        if (!due || due > now) continue;
        if (!(await store.advanceCronTick(fn.id, last, now))) continue;
        await store.enqueueJob({
          functionId: fn.id,
          eventName: SCHEDULE_EVENT,
          eventData: { cron: trigger.cron, scheduledFor: due.toISOString() },
          concurrencyKey: null,
          maxAttempts: fn.maxAttempts,
        });
        fired++;
      }
    }
    if (fired > 0) this.wake?.();
    return fired;
  }

  private async workLoop(): Promise<void> {
    while (this.running) {
      try {
        const job = await store.claimNextJob(this.functionIds);
        if (job) {
          await this.execute(job);
          continue;
        }
      } catch (error) {
        this.options.log(`worker: ${(error as Error).message}`);
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

  private async execute(job: Awaited<ReturnType<typeof store.claimNextJob>> & object): Promise<void> {
    const fn = this.fns.find((f) => f.id === job.functionId);
    if (!fn) return store.markFailed(job.id, `No function ${job.functionId} is registered.`);
    const event = { name: job.eventName, data: job.eventData, ts: job.createdAt.getTime(), id: job.id };
    const heartbeat = setInterval(() => void store.extendLock(job.id).catch(() => {}), 20_000);
    try {
      await fn.handler({
        event,
        events: [event],
        runId: job.id,
        attempt: job.attempt - 1,
        step: await this.stepTools(job.id),
        logger: console,
      });
      await store.markSucceeded(job.id);
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      const retryable = !(err instanceof NonRetriableError) && job.attempt < job.maxAttempts;
      if (retryable) {
        const delay = err instanceof RetryAfterError ? retryAfterMs(err.retryAfter) : this.options.backoffMs(job.attempt);
        this.options.log(`${fn.id} attempt ${job.attempt} failed (${err.message}); retrying in ${Math.round(delay)} ms`);
        await store.markForRetry(job.id, err.message, new Date(Date.now() + delay));
      } else {
        this.options.log(`${fn.id} failed after ${job.attempt} attempt(s): ${err.message}`);
        await store.markFailed(job.id, err.message);
        if (fn.onFailure) {
          const failure = { name: "inngest/function.failed", data: { event, error: { name: err.name, message: err.message } } };
          await fn
            .onFailure({
              event: failure,
              error: err,
              runId: job.id,
              step: await this.stepTools(`${job.id}:failure`, true),
              logger: console,
            })
            .catch((e: Error) => this.options.log(`${fn.id} onFailure threw: ${e.message}`));
        }
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Inngest's step tools, memoised per run in the database (or not at all for failure handlers). */
  private async stepTools(runId: string, ephemeral = false) {
    const memo = ephemeral ? new Map<string, unknown>() : await store.loadSteps(runId);
    const seen = new Map<string, number>();
    const keyFor = (id: string) => {
      const n = seen.get(id) ?? 0;
      seen.set(id, n + 1);
      return n === 0 ? id : `${id}:${n}`;
    };
    const memoised = async <T>(id: string, work: () => Promise<T>): Promise<T> => {
      const key = keyFor(id);
      if (memo.has(key)) return memo.get(key) as T;
      // Inngest serialises step outputs as JSON; so do we, so handlers see the same values.
      const output = await work();
      const json = output === undefined ? null : JSON.parse(JSON.stringify(output));
      if (!ephemeral) await store.saveStep(runId, key, json);
      memo.set(key, json);
      return json as T;
    };
    const idOf = (idOrOptions: string | { id: string }) => (typeof idOrOptions === "string" ? idOrOptions : idOrOptions.id);
    return {
      run: <T>(id: string | { id: string }, work: () => T | Promise<T>) => memoised(idOf(id), async () => work()),
      sendEvent: (id: string | { id: string }, events: AppEvent | AppEvent[]) =>
        memoised(idOf(id), async () => ({ ids: await this.send(events) })),
      sleep: (id: string | { id: string }, duration: number | string) =>
        memoised(idOf(id), async () => {
          await sleep(typeof duration === "number" ? duration : durationToMs(duration as never));
          return null;
        }),
    };
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
