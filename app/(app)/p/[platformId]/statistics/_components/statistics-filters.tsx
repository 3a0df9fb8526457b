"use client";

import { SearchField } from "@/components/search-field";
import { SelectField } from "@/components/select-field";
import { useUrlSearch, useUrlState } from "@/components/use-url-state";
import { CollapsibleFilters } from "@/components/collapsible-filters";
import { COMPLETION_STATUS, COMPLETION_STATUSES } from "@/lib/statistics/status";

/** Filters of the statistics page; they drive the table, the charts and the CSV alike. */
export function StatisticsFilters({ courseName }: { courseName: string | null }) {
  const url = useUrlState();
  const { searchParams, setParams, pending } = url;
  const [q, setQ] = useUrlSearch(url);

  const active = ["q", "status", "course"].filter((key) => searchParams.get(key)).length;
  return (
    <CollapsibleFilters label="Filters" active={active}>
      <form
        role="search"
        aria-label="Filter statistics"
        aria-busy={pending}
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ q: q.trim() || null });
        }}
      >
        <SearchField label="Search learners" value={q} onChange={setQ} placeholder="Name or email" />
        <SelectField
          label="Status"
          value={searchParams.get("status") ?? ""}
          onChange={(e) => setParams({ status: e.target.value })}
          options={[
            { value: "", label: "Any status" },
            ...COMPLETION_STATUSES.map((status) => ({ value: status, label: COMPLETION_STATUS[status].label })),
          ]}
        />
        <div className="text-sm">
          <span className="block font-medium text-slate-800">Course</span>
          {courseName ? (
            <span className="mt-2 flex items-center gap-2">
              <span className="truncate">{courseName}</span>
              <button type="button" className="text-brand-700 underline" onClick={() => setParams({ course: null })}>
                All courses
              </button>
            </span>
          ) : (
            <span className="mt-2 block text-slate-600">All courses (pick one in the per-course view)</span>
          )}
        </div>
      </form>
    </CollapsibleFilters>
  );
}
