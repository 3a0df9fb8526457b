import "server-only";
import { env } from "@/lib/env";
import type { StepBudget } from "@/lib/sync/page-step";

/**
 * How much work one job run of a sync does before it hands over to a fresh
 * run (a continuation), and how much one step does. Inngest allows 1,000 steps
 * and 32 MB of state per run (inngest/limits.ts); a sync's steps return a few
 * hundred bytes each, so the step count is what bounds a run.
 */
export interface SyncBudget {
  step: StepBudget;
  /** Page steps in one job run before the sync continues in a new one. */
  pageStepsPerRun: number;
}

let override: Partial<SyncBudget> | null = null;

export function syncBudget(): SyncBudget {
  const e = env();
  return {
    step: { maxPages: e.SYNC_STEP_MAX_PAGES, maxMs: e.SYNC_STEP_MAX_MS, ...override?.step },
    pageStepsPerRun: override?.pageStepsPerRun ?? e.SYNC_PAGE_STEPS_PER_RUN,
  };
}

/** Tests and benchmarks only: smaller or larger steps and runs than the environment's. */
export function setSyncBudgetOverride(budget: Partial<SyncBudget> | null): void {
  override = budget;
}
