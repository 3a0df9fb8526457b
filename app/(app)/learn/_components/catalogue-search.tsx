import Link from "next/link";
import { Suspense } from "react";
import { buttonClasses } from "@/components/button";
import { formatNumber } from "@/components/format";
import type { BoundedCount, CatalogueFacets, FacetValue } from "@/lib/learning/catalogue-queries";
import { CATALOGUE_SORTS, DURATION_BANDS, NARROWING_FILTERS, type CatalogueFilters, type DurationBand } from "@/lib/learning/schema";
import type { ContentType } from "@/lib/generated/prisma/enums";
import { AutoSubmitSelect } from "./auto-submit-select";
import { contentTypeLabel, languageLabel, levelLabel } from "./labels";
import { LiveSearchInput } from "./live-search-input";

/** "1,000+" above the bound, the exact number below it. */
export function formatBoundedCount(count: BoundedCount): string {
  return `${formatNumber(count.count)}${count.more ? "+" : ""}`;
}

/**
 * The search box, sort and filters: a GET form, so results are a URL
 * (bookmarkable, back button, works before JavaScript loads). With JavaScript,
 * results follow the typing and a filter applies when chosen. The filters'
 * counts arrive after the courses (they are counted separately).
 */
export function CatalogueSearch({ filters, facets }: { filters: CatalogueFilters; facets: Promise<CatalogueFacets> }) {
  const active = Boolean(filters.q || NARROWING_FILTERS.some((key) => filters[key]));
  const sort = filters.sort ?? (filters.q ? "relevance" : "title");
  return (
    <form
      method="get"
      action="/learn"
      role="search"
      aria-label="Courses"
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="flex-1">
          <label htmlFor="catalogue-q" className="block text-sm font-medium text-slate-800">
            Search courses
          </label>
          <LiveSearchInput defaultValue={filters.q ?? ""} />
          <p id="catalogue-q-hint" className="sr-only">
            Finds courses by title, skill, partner and description, forgiving small typing mistakes. Results follow as you type.
          </p>
        </div>
        {/* Side by side even on a phone: the filters below and the first courses stay closer to the top. */}
        <div className="flex items-end gap-2">
          <AutoSubmitSelect
            label="Sort by"
            name="sort"
            defaultValue={sort}
            className="flex-1 sm:w-44 sm:flex-none"
            options={Object.entries(CATALOGUE_SORTS)
              .filter(([value]) => value !== "relevance" || filters.q)
              .map(([value, label]) => ({ value, label }))}
          />
          <button type="submit" className={buttonClasses("primary")}>
            Search
          </button>
        </div>
      </div>
      <Suspense fallback={<FilterFieldsPlaceholder />}>
        <FilterFields filters={filters} facets={facets} />
      </Suspense>
      {active && (
        <p className="mt-3 text-sm">
          <Link href="/learn" className="text-brand-700 underline">
            Clear search and filters
          </Link>
        </p>
      )}
    </form>
  );
}

// Two columns on a phone: seven filters in one column would push every course below the first screen.
const FILTER_GRID = "mt-3 grid grid-cols-2 gap-3 lg:grid-cols-4";

function FilterFieldsPlaceholder() {
  return (
    <div className={FILTER_GRID} aria-busy="true">
      <span className="sr-only">Loading filters…</span>
      {Array.from({ length: 4 }, (_, i) => (
        <div key={i} className="h-[3.75rem] animate-pulse rounded-md bg-slate-100" aria-hidden="true" />
      ))}
    </div>
  );
}

async function FilterFields({ filters, facets: pending }: { filters: CatalogueFilters; facets: Promise<CatalogueFacets> }) {
  const facets = await pending;
  const any = { value: "", label: "All" };
  const options = (values: FacetValue[], label: (v: FacetValue) => string, chosen: string | undefined) => [
    any,
    ...values.map((v) => ({ value: v.value, label: `${label(v)} (${formatBoundedCount(v.count)})` })),
    // A chosen value that matches nothing any more stays selectable (and visibly empty).
    ...(chosen && !values.some((v) => v.value === chosen) ? [{ value: chosen, label: `${chosen} (0)` }] : []),
  ];
  return (
    <div className={FILTER_GRID}>
      <AutoSubmitSelect
        label="Type"
        name="type"
        defaultValue={filters.type ?? ""}
        options={options(facets.types, (v) => contentTypeLabel[v.value as ContentType] ?? v.value, filters.type)}
      />
      <AutoSubmitSelect
        label="Language"
        name="language"
        defaultValue={filters.language ?? ""}
        options={options(facets.languages, (v) => languageLabel(v.value), filters.language)}
      />
      <AutoSubmitSelect
        label="Level"
        name="level"
        defaultValue={filters.level?.toLowerCase() ?? ""}
        options={options(facets.levels, (v) => levelLabel(v.value), filters.level?.toLowerCase())}
      />
      <AutoSubmitSelect
        label="Duration"
        name="duration"
        defaultValue={filters.duration ?? ""}
        options={options(facets.durations, (v) => DURATION_BANDS[v.value as DurationBand]?.label ?? v.value, filters.duration)}
      />
      <AutoSubmitSelect
        label="Partner"
        name="partner"
        defaultValue={filters.partner ?? ""}
        options={options(facets.partners, (v) => v.value, filters.partner)}
      />
      <AutoSubmitSelect
        label="Skill"
        name="skill"
        defaultValue={filters.skill ?? ""}
        options={options(facets.skills, (v) => v.label ?? v.value, filters.skill)}
      />
      <AutoSubmitSelect
        label="Provider"
        name="source"
        defaultValue={filters.source ?? ""}
        options={[
          any,
          ...(facets.hasCoursera ? [{ value: "COURSERA", label: "Coursera" }] : []),
          ...(facets.hasNative ? [{ value: "NATIVE", label: "Platform courses" }] : []),
        ]}
      />
    </div>
  );
}
