import type { SyncKind, SyncStatus, SyncTrigger } from "@/lib/generated/prisma/enums";

/**
 * Words for a sync run shared by the history, the run page and the overview:
 * who or what started it, how its counts add up, and what a run that needs
 * review is waiting for. Pure, so each rule is tested without a page.
 */

/** Who or what started the run, as the history's "Started by" says it. */
export function triggerLabel(run: { trigger: SyncTrigger; triggeredByName: string | null }): string {
  const by = run.triggeredByName ? ` by ${run.triggeredByName}` : "";
  switch (run.trigger) {
    case "SCHEDULE":
      return "Daily schedule";
    case "MANUAL":
      return `Sync now${by}`;
    case "CREDENTIALS":
      return `Credentials saved${by}`;
    case "RETRY":
      return `Retry${by}`;
    case "DEMO":
      return "Demo start (npm run dev)";
    case "SELECTION":
      return `Import selection changed${by}`;
  }
}

export interface CountPart {
  key: string;
  label: string;
  value: number;
  /** One sentence for the parts an admin may not expect. */
  explanation?: string;
}

export interface CountBreakdown {
  fetched: number;
  /** What became of each fetched item; sums to `fetched` unless `unaccounted` is not 0. */
  parts: CountPart[];
  /** fetched minus the parts: 0 for every run that wrote its pages once; shown when it is not. */
  unaccounted: number;
  /** Counts about courses that were not in the listing (retired, held): beside the sum, not in it. */
  beside: CountPart[];
}

type RunCounts = {
  kind: SyncKind;
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  restored: number;
  invalid: number;
  duplicates: number;
  excluded: number;
  matched: number;
  unmatched: number;
  retired: number;
  heldRetirements: number;
};

export const DUPLICATES_EXPLANATION =
  "Coursera's pages moved while they were read (a course added or removed meanwhile), so these items came a second time on a later page; each was kept once.";
export const REGRESSIONS_EXPLANATION =
  "Matched records that brought nothing new. This includes reports that would have moved a learner backwards (lower progress, an older activity date): progress never goes back, so Coursera's value was refused and the stored one kept.";
const INVALID_EXPLANATION = "Items Coursera sent that could not be read: each was skipped and is listed under Errors and problems.";

/**
 * What became of every item Coursera sent in a run, as parts that add up to
 * the fetched count. Catalogue: new + updated + restored + unchanged +
 * duplicates + invalid + left out (by the import selection). Statistics: updated + unchanged + unmatched + invalid
 * (matched = updated + unchanged).
 */
export function countBreakdown(run: RunCounts): CountBreakdown {
  const parts: CountPart[] =
    run.kind === "CATALOGUE"
      ? [
          { key: "created", label: "new", value: run.created },
          { key: "updated", label: "updated", value: run.updated },
          { key: "restored", label: "restored", value: run.restored, explanation: "Courses retired earlier that Coursera lists again." },
          { key: "unchanged", label: "unchanged", value: run.unchanged },
          { key: "duplicates", label: "duplicates", value: run.duplicates, explanation: DUPLICATES_EXPLANATION },
          { key: "invalid", label: "invalid", value: run.invalid, explanation: INVALID_EXPLANATION },
          {
            key: "excluded",
            label: "left out",
            value: run.excluded,
            explanation: "Items outside the connector's import selection (programs, content types, languages): not imported.",
          },
        ]
      : [
          { key: "updated", label: "updated", value: run.updated, explanation: "Matched records that brought new values." },
          { key: "unchanged", label: "unchanged", value: run.unchanged, explanation: REGRESSIONS_EXPLANATION },
          {
            key: "unmatched",
            label: "unmatched",
            value: run.unmatched,
            explanation: "Records of a learner or course the platform could not find: they wait in the unmatched learners inbox.",
          },
          { key: "invalid", label: "invalid", value: run.invalid, explanation: INVALID_EXPLANATION },
        ];
  const beside: CountPart[] =
    run.kind === "CATALOGUE"
      ? [
          {
            key: "retired",
            label: "retired",
            value: run.retired,
            explanation: "Courses missing from Coursera's complete listing, or left out by a narrower import selection.",
          },
          {
            key: "heldRetirements",
            label: "held for review",
            value: run.heldRetirements,
            explanation: "Too many courses missing at once: their retirement waits for an admin's decision.",
          },
        ]
      : [];
  const sum = parts.reduce((total, part) => total + part.value, 0);
  return { fetched: run.fetched, parts, unaccounted: run.fetched - sum, beside };
}

/** "120 fetched = 10 new + 100 unchanged + 8 duplicates + 2 invalid": the parts that are not zero, as a sum. */
export function breakdownEquation(breakdown: CountBreakdown, format: (n: number) => string = String): string {
  const shown = breakdown.parts.filter((part) => part.value !== 0);
  const right = shown.length === 0 ? "0" : shown.map((part) => `${format(part.value)} ${part.label}`).join(" + ");
  const rest = breakdown.unaccounted !== 0 ? ` + ${format(breakdown.unaccounted)} not accounted for` : "";
  return `${format(breakdown.fetched)} fetched = ${right}${rest}`;
}

export interface ReviewHint {
  sentence: string;
  href: string;
  linkLabel: string;
}

/** What a run in NEEDS_REVIEW waits for, and where to act on it; null for any other run. */
export function needsReviewHint(
  platformId: string,
  run: { id: string; kind: SyncKind; status: SyncStatus; heldRetirements: number; unmatched: number; excluded: number },
): ReviewHint | null {
  if (run.status !== "NEEDS_REVIEW") return null;
  if (run.kind === "CATALOGUE") {
    const n = run.heldRetirements;
    if (n === 0)
      return {
        sentence: "A later catalogue sync read Coursera's listing again and took over this decision: nothing is left to decide here.",
        href: `/p/${platformId}/syncs/${run.id}`,
        linkLabel: "See the run",
      };
    const what =
      run.excluded > 0
        ? "would leave the catalogue at once (the import selection leaves them out)"
        : "vanished from Coursera's catalogue at once";
    return {
      sentence: `${n} course${n === 1 ? "" : "s"} ${what}; nothing is retired until an admin chooses “Retire them” or “Keep them”.`,
      href: `/p/${platformId}/syncs/${run.id}#held-retirements`,
      linkLabel: "Decide on the run page",
    };
  }
  const n = run.unmatched;
  return {
    sentence: `${n} Coursera record${n === 1 ? "" : "s"} could not be matched to a learner or a course; their statistics wait until each identity is linked.`,
    href: `/p/${platformId}/unmatched`,
    linkLabel: "Resolve them in the unmatched inbox",
  };
}
