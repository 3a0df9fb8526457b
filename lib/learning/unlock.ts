import "server-only";
import type { CourseSource, StepStatus } from "@/lib/generated/prisma/enums";

/**
 * Which steps of a session a learner may open. The first step always; each
 * next one when the step before it lets the learner continue: a Coursera step
 * once STARTED (Coursera courses take weeks and the platform cannot see inside
 * them), any step once COMPLETED. A step the learner has already started stays
 * open whatever came before it (they may have started it from the catalogue).
 * The session page and the START action (lib/learning/mutations.ts) both read
 * it through getLearnerSession, so they never disagree.
 */
export interface StepState {
  source: CourseSource;
  status: StepStatus;
}

/** A step lets the learner move on: a Coursera step once started, a native one once completed. */
export function stepLetsLearnerContinue(step: StepState): boolean {
  return step.source === "COURSERA" ? step.status !== "NOT_STARTED" : step.status === "COMPLETED";
}

export function withUnlockState<T extends StepState>(steps: T[]): (T & { unlocked: boolean })[] {
  let previousLetsContinue = true;
  return steps.map((step) => {
    const unlocked = previousLetsContinue || step.status !== "NOT_STARTED";
    previousLetsContinue = unlocked && stepLetsLearnerContinue(step);
    return { ...step, unlocked };
  });
}

const RANK: Record<StepStatus, number> = { NOT_STARTED: 0, STARTED: 1, COMPLETED: 2 };

/**
 * A step's status from what the platform recorded (StepProgress: START, or the
 * last sync) and Coursera's latest statistics, whichever is further: the page
 * is right even before the sync has updated StepProgress. Never goes down.
 */
export function mergeStepStatus(
  recorded: StepStatus | null | undefined,
  coursera: "NOT_STARTED" | "IN_PROGRESS" | "COMPLETED" | null | undefined,
): StepStatus {
  const fromCoursera: StepStatus = coursera === "COMPLETED" ? "COMPLETED" : coursera === "IN_PROGRESS" ? "STARTED" : "NOT_STARTED";
  const own = recorded ?? "NOT_STARTED";
  return RANK[fromCoursera] > RANK[own] ? fromCoursera : own;
}

/** The session's progress: completed steps over all steps, 0..100. */
export function sessionPercent(steps: { status: StepStatus }[]): { completed: number; total: number; percent: number } {
  const completed = steps.filter((s) => s.status === "COMPLETED").length;
  return { completed, total: steps.length, percent: steps.length === 0 ? 0 : Math.round((completed / steps.length) * 100) };
}
