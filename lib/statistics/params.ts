import { z } from "zod";
import { CompletionStatus } from "@/lib/generated/prisma/enums";
import { filterValueSchema, parseSearchParams, searchTextSchema, type SearchParamsInput } from "@/lib/input/text";

/** The statistics page's filters, from its URL (the page, the CSV export and the JSON routes read the same). */

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const statisticsParamsSchema = z.object({
  view: z.enum(["learners", "courses"]).catch("learners").default("learners"),
  q: searchTextSchema(200),
  // Kept even when it names no course: the filter then selects nothing, it is never dropped.
  course: filterValueSchema,
  status: z.preprocess(emptyToUndefined, z.enum(CompletionStatus).optional()).catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

export type StatisticsParams = z.output<typeof statisticsParamsSchema>;
export const STATS_PAGE_SIZE = 25;

/** A bad or oversized value falls back to its own default (a search is cut to 200 characters), never resetting the other filters. */
export function parseStatisticsParams(searchParams: SearchParamsInput): StatisticsParams {
  return parseSearchParams(statisticsParamsSchema, searchParams);
}
