import "server-only";
import { eventType, type InngestFunction } from "inngest";
import type { z } from "zod";
import { inngest } from "@/inngest/client";
import type { AppEvent } from "@/inngest/events";

/**
 * One definition, two engines. A background function is written once, here,
 * in the subset of Inngest's API the product uses; `defineFunction` hands it
 * to the Inngest SDK (served or connected to an Inngest server) and keeps the
 * same options and handlers for the embedded runner (inngest/runner.ts), which
 * therefore never reads the SDK's internals.
 */

export interface StepTools {
  /** A memoised step: its output (JSON) is kept, and a retry or a resumed run gets it back instead of running it again. */
  run<T>(id: string, work: () => Promise<T> | T): Promise<T>;
  /** Sends events as a step: sent once, whatever happens to the run afterwards. */
  sendEvent(id: string, events: AppEvent | AppEvent[]): Promise<{ ids: string[] }>;
}

export interface FunctionContext<TData> {
  event: { name: string; data: TData; ts?: number; id?: string };
  step: StepTools;
  /** 0 for the first attempt. */
  attempt: number;
  /** The job run's id. */
  runId: string;
}

export interface FailureContext<TData> {
  /** Inngest's `inngest/function.failed` event, which carries the original event. */
  event: { data: { event: { name: string; data: TData }; error: { name?: string; message?: string } } };
  error: Error;
  runId: string;
}

export interface EventTrigger<TData> {
  name: string;
  schema: z.ZodType<TData>;
}

/**
 * One run at a time per key. `key` is an expression over the event, in the
 * small subset both engines evaluate: `event.data.x`, optionally prefixed by a
 * string literal (`"org-" + event.data.orgId`). `scope: "env"` shares the key
 * across functions.
 */
export interface ConcurrencyRule {
  limit: 1;
  key: string;
  scope?: "fn" | "env";
}

export interface FunctionDefinition<TData = unknown> {
  id: string;
  name: string;
  trigger: { event: EventTrigger<TData> } | { cron: string };
  retries: number;
  concurrency?: [ConcurrencyRule] | [ConcurrencyRule, ConcurrencyRule];
  handler(ctx: FunctionContext<TData>): Promise<unknown>;
  onFailure?(ctx: FailureContext<TData>): Promise<void>;
  /**
   * The embedded runner calls this when it hands a run to another worker: the
   * worker that held it stopped renewing its lease (it died or hung), or was
   * shut down and released it. On Inngest, the engine's own dashboard tells.
   */
  onHandedOver?(ctx: { event: { data: TData }; previousWorker: string | null; reason: "lease-expired" | "released" }): Promise<void>;
}

export interface DefinedFunction<TData = unknown> {
  definition: FunctionDefinition<TData>;
  /** The same function for the Inngest SDK (app/api/inngest, inngest/connect). */
  sdk: InngestFunction.Any;
}

export function defineFunction<TData>(definition: FunctionDefinition<TData>): DefinedFunction<TData> {
  const trigger =
    "cron" in definition.trigger
      ? { cron: definition.trigger.cron }
      : eventType(definition.trigger.event.name, { schema: definition.trigger.event.schema as never });
  const sdk = inngest.createFunction(
    {
      id: definition.id,
      name: definition.name,
      triggers: [trigger],
      retries: definition.retries as never,
      // Inngest takes at most two concurrency rules per function.
      ...(definition.concurrency ? { concurrency: definition.concurrency as [ConcurrencyRule] | [ConcurrencyRule, ConcurrencyRule] } : {}),
      ...(definition.onFailure ? { onFailure: definition.onFailure as never } : {}),
    },
    // The SDK's context is a superset of FunctionContext; the event data is validated by
    // the handlers' own schema below, identically on both engines.
    definition.handler as never,
  );
  return { definition, sdk: sdk as unknown as InngestFunction.Any };
}

/** Validates an event's data against its trigger's schema; returns the data or a readable reason. */
export function validateEventData<TData>(
  trigger: EventTrigger<TData>,
  data: unknown,
): { ok: true; data: TData } | { ok: false; reason: string } {
  const parsed = trigger.schema.safeParse(data);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join(".") || "data"}: ${i.message}`).join("; ") };
}
