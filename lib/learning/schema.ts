import { z } from "zod";
import { ContentType, CourseSource } from "@/lib/generated/prisma/enums";
import { parseSearchParams } from "@/lib/input/text";

/** Courses per catalogue page. */
export const CATALOGUE_PAGE_SIZE = 24;

/** Duration bands of the catalogue's filter, in minutes: [from, to). */
export const DURATION_BANDS = {
  short: { label: "Under 1 hour", from: 0, to: 60 },
  medium: { label: "1 to 5 hours", from: 60, to: 300 },
  long: { label: "5 to 20 hours", from: 300, to: 1200 },
  extended: { label: "20 hours or more", from: 1200, to: null },
} as const;
export type DurationBand = keyof typeof DURATION_BANDS;

export const CATALOGUE_SORTS = {
  relevance: "Best match",
  title: "Title",
  newest: "Newest",
  duration: "Shortest first",
} as const;
export type CatalogueSort = keyof typeof CATALOGUE_SORTS;

/** Longer queries are cut: nobody types more, and it bounds the work of the search. */
export const MAX_QUERY_LENGTH = 200;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined))
    .catch(undefined);

/**
 * The catalogue's URL parameters (the search form submits with GET so that a
 * search can be bookmarked and shared). Anything malformed is ignored rather
 * than refused: a hand-edited URL still shows the catalogue.
 */
export const catalogueFiltersSchema = z.object({
  q: z
    .string()
    .optional()
    .transform((v) => v?.trim().slice(0, MAX_QUERY_LENGTH) || undefined)
    .catch(undefined),
  type: z.enum(ContentType).optional().catch(undefined),
  source: z.enum(CourseSource).optional().catch(undefined),
  language: optionalText(35),
  skill: optionalText(40),
  level: optionalText(40),
  duration: z
    .enum(Object.keys(DURATION_BANDS) as [DurationBand, ...DurationBand[]])
    .optional()
    .catch(undefined),
  partner: optionalText(200),
  sort: z
    .enum(Object.keys(CATALOGUE_SORTS) as [CatalogueSort, ...CatalogueSort[]])
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});

export interface CatalogueFilters {
  q?: string;
  type?: ContentType;
  source?: CourseSource;
  language?: string;
  skill?: string;
  level?: string;
  duration?: DurationBand;
  partner?: string;
  /** Default: relevance while searching, else title. */
  sort?: CatalogueSort;
  page: number;
}

/** The filters that narrow the catalogue (the search words aside). */
export const NARROWING_FILTERS = ["type", "source", "language", "skill", "level", "duration", "partner"] as const;

/** Reads Next.js `searchParams` (where a repeated key gives an array: the first wins). */
export function parseCatalogueFilters(params: Record<string, string | string[] | undefined>): CatalogueFilters {
  // Values are cleaned of what PostgreSQL refuses (NUL…) and read one field at a time (lib/input/text.ts).
  return parseSearchParams(catalogueFiltersSchema, params);
}

/** The query string for a catalogue page with these filters (default values left out). */
export function catalogueHref(filters: Partial<CatalogueFilters>): string {
  const params = new URLSearchParams();
  for (const key of ["q", ...NARROWING_FILTERS, "sort"] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (filters.page && filters.page > 1) params.set("page", String(filters.page));
  const query = params.toString();
  return query ? `/learn?${query}` : "/learn";
}
