"use client";

import { useId } from "react";
import { CollapsibleFilters } from "@/components/collapsible-filters";
import { SearchField } from "@/components/search-field";
import { SelectField } from "@/components/select-field";
import { useUrlSearch, useUrlState } from "@/components/use-url-state";

const inputClasses = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm";

/**
 * The audit log's filters; each change updates the URL, and the server renders the matching page
 * (and the CSV link carries the same filters). Days are the connector's (`timeZone`).
 */
export function AuditFilters({
  actions,
  actors,
  timeZone,
}: {
  actions: { value: string; label: string }[];
  actors: { value: string; label: string }[];
  timeZone: string;
}) {
  const url = useUrlState();
  const { searchParams, setParams, pending } = url;
  const [q, setQ] = useUrlSearch(url);
  const id = useId();
  const value = (key: string) => searchParams.get(key) ?? "";
  const active = ["q", "action", "actor", "from", "to"].filter((key) => value(key)).length;

  return (
    <CollapsibleFilters label="Filters" active={active}>
      <form
        role="search"
        aria-label="Filter the audit log"
        aria-busy={pending}
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-5"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ q: q.trim() || null });
        }}
      >
        <SearchField label="Search" value={q} onChange={setQ} placeholder="Email or details…" />
        <SelectField
          label="What"
          value={value("action")}
          onChange={(e) => setParams({ action: e.target.value })}
          options={[{ value: "", label: "Any action" }, ...actions]}
        />
        <SelectField
          label="Who"
          value={value("actor")}
          onChange={(e) => setParams({ actor: e.target.value })}
          options={[{ value: "", label: "Anyone" }, ...actors]}
        />
        <div>
          <label htmlFor={`${id}-from`} className="block text-sm font-medium text-slate-800">
            From
          </label>
          <input
            id={`${id}-from`}
            type="date"
            value={value("from")}
            max={value("to") || undefined}
            onChange={(e) => setParams({ from: e.target.value })}
            aria-describedby={`${id}-zone`}
            className={inputClasses}
          />
        </div>
        <div>
          <label htmlFor={`${id}-to`} className="block text-sm font-medium text-slate-800">
            To
          </label>
          <input
            id={`${id}-to`}
            type="date"
            value={value("to")}
            min={value("from") || undefined}
            onChange={(e) => setParams({ to: e.target.value })}
            aria-describedby={`${id}-zone`}
            className={inputClasses}
          />
        </div>
        <div className="flex flex-wrap items-center justify-between gap-2 sm:col-span-2 lg:col-span-5">
          <p id={`${id}-zone`} className="text-xs text-slate-600">
            Days and times are in {timeZone}, the connector&apos;s time zone; both days are included.
          </p>
          {active > 0 && (
            <button
              type="button"
              className="text-sm font-medium text-brand-700 underline"
              onClick={() => {
                setQ("");
                setParams({ q: null, action: null, actor: null, from: null, to: null });
              }}
            >
              Clear filters
            </button>
          )}
        </div>
      </form>
    </CollapsibleFilters>
  );
}
