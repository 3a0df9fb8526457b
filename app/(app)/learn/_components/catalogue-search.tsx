import Link from "next/link";
import { buttonClasses } from "@/components/button";
import { SelectField } from "@/components/select-field";
import type { CatalogueFacets } from "@/lib/learning/catalogue-queries";
import type { CatalogueFilters } from "@/lib/learning/schema";
import { contentTypeLabel, languageLabel } from "./labels";

/**
 * The search box and filters: a GET form, so results are a URL (bookmarkable,
 * back button, works before JavaScript loads) and paging happens on the server.
 */
export function CatalogueSearch({ filters, facets }: { filters: CatalogueFilters; facets: CatalogueFacets }) {
  const any = { value: "", label: "All" };
  const active = Boolean(filters.q || filters.type || filters.language || filters.skill || filters.source);
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
          <input
            id="catalogue-q"
            type="search"
            name="q"
            defaultValue={filters.q ?? ""}
            maxLength={200}
            placeholder="Title, skill, partner or topic"
            aria-describedby="catalogue-q-hint"
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-brand-600"
          />
          <p id="catalogue-q-hint" className="sr-only">
            Finds courses by title, description, partner and skill. Title matches come first.
          </p>
        </div>
        <button type="submit" className={buttonClasses("primary")}>
          Search
        </button>
      </div>
      <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <SelectField
          label="Type"
          name="type"
          defaultValue={filters.type ?? ""}
          options={[any, ...facets.types.map((t) => ({ value: t.value, label: `${contentTypeLabel[t.value]} (${t.count})` }))]}
        />
        <SelectField
          label="Language"
          name="language"
          defaultValue={filters.language ?? ""}
          options={[any, ...facets.languages.map((l) => ({ value: l.value, label: `${languageLabel(l.value)} (${l.count})` }))]}
        />
        <SelectField
          label="Skill"
          name="skill"
          defaultValue={filters.skill ?? ""}
          options={[any, ...facets.skills.map((s) => ({ value: s.id, label: s.name }))]}
        />
        <SelectField
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
