"use client";

import { useId } from "react";
import { SearchField } from "@/components/search-field";
import { SelectField } from "@/components/select-field";
import { CONTENT_TYPE_LABELS, formatLanguage, formatLevel } from "@/components/format";
import { useUrlSearch, useUrlState } from "@/components/use-url-state";
import { CollapsibleFilters } from "@/components/collapsible-filters";

const TYPES = Object.entries(CONTENT_TYPE_LABELS);

/** The table's filters; each change updates the URL and the server renders the matching page. */
export function CourseFilters({
  facets,
  skills,
}: {
  facets: { languages: string[]; levels: string[] };
  skills: { id: string; name: string; courses: number }[];
}) {
  const url = useUrlState();
  const { searchParams, setParams, pending } = url;
  const [q, setQ] = useUrlSearch(url);
  const noSkillsId = useId();

  const value = (key: string) => searchParams.get(key) ?? "";
  const active = ["q", "type", "status", "language", "level", "skill", "noSkills"].filter((key) => value(key)).length;
  return (
    <CollapsibleFilters label="Filters" active={active}>
      <form
        role="search"
        aria-label="Filter courses"
        aria-busy={pending}
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ q: q.trim() || null });
        }}
      >
        <SearchField label="Search titles" value={q} onChange={setQ} className="sm:col-span-2" />
        <SelectField
          label="Type"
          value={value("type")}
          onChange={(e) => setParams({ type: e.target.value })}
          options={[{ value: "", label: "All types" }, ...TYPES.map(([v, l]) => ({ value: v, label: l }))]}
        />
        <SelectField
          label="Status"
          value={value("status") || "active"}
          onChange={(e) => setParams({ status: e.target.value === "active" ? null : e.target.value })}
          options={[
            { value: "active", label: "Active" },
            { value: "retired", label: "Retired" },
            { value: "all", label: "Active and retired" },
          ]}
        />
        <SelectField
          label="Language"
          value={value("language")}
          onChange={(e) => setParams({ language: e.target.value })}
          options={[{ value: "", label: "All languages" }, ...facets.languages.map((l) => ({ value: l, label: formatLanguage(l) }))]}
        />
        <SelectField
          label="Level"
          value={value("level")}
          onChange={(e) => setParams({ level: e.target.value })}
          options={[{ value: "", label: "All levels" }, ...facets.levels.map((l) => ({ value: l, label: formatLevel(l) }))]}
        />
        <SelectField
          label="Skill"
          value={value("skill")}
          onChange={(e) => setParams({ skill: e.target.value, noSkills: null })}
          options={[{ value: "", label: "Any skill" }, ...skills.map((s) => ({ value: s.id, label: `${s.name} (${s.courses})` }))]}
        />
        <div className="flex items-end gap-2 pb-2">
          <input
            id={noSkillsId}
            type="checkbox"
            checked={value("noSkills") === "1"}
            onChange={(e) =>
              setParams({ noSkills: e.target.checked ? "1" : null, skill: e.target.checked ? null : value("skill") || null })
            }
            className="h-4 w-4"
          />
          <label htmlFor={noSkillsId} className="text-sm font-medium text-slate-800">
            Only courses without skills
          </label>
        </div>
      </form>
    </CollapsibleFilters>
  );
}
