"use client";

import Link from "next/link";
import { useMemo, useState, useTransition } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/badge";
import { formatContentType, formatLanguage, formatLevel } from "@/components/format";
import { Button } from "@/components/button";
import { DataTable, type ColumnDef, type RowSelectionState } from "@/components/data-table";
import { Dialog } from "@/components/dialog";
import { skillKey } from "@/lib/skills/schema";
import { bulkSkillsAction } from "../actions";
import { SkillInput } from "./skill-input";

export interface CourseRow {
  id: string;
  title: string;
  contentType: string;
  language: string | null;
  level: string | null;
  retired: boolean;
  skills: { id: string; name: string }[];
}

/** The courses table with row selection for skills in bulk. */
export function CoursesTable({
  platformId,
  rows,
  total,
  page,
  pageSize,
  sort,
  dir,
  totalIsLowerBound = false,
}: {
  platformId: string;
  rows: CourseRow[];
  total: number;
  page: number;
  pageSize: number;
  sort: string;
  dir: "asc" | "desc";
  totalIsLowerBound?: boolean;
}) {
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [bulk, setBulk] = useState<"attach" | "detach" | null>(null);
  const selectedIds = Object.keys(selection).filter((k) => selection[k] && rows.some((r) => r.id === k));

  const columns = useMemo<ColumnDef<CourseRow>[]>(
    () => [
      {
        id: "select",
        header: ({ table }) => (
          <input
            type="checkbox"
            aria-label="Select every course on this page"
            className="h-4 w-4"
            checked={table.getIsAllRowsSelected()}
            ref={(el) => {
              if (el) el.indeterminate = table.getIsSomeRowsSelected();
            }}
            onChange={table.getToggleAllRowsSelectedHandler()}
          />
        ),
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label={`Select ${row.original.title}`}
            className="h-4 w-4"
            checked={row.getIsSelected()}
            onChange={row.getToggleSelectedHandler()}
          />
        ),
      },
      {
        id: "title",
        header: "Title",
        meta: { sortKey: "title" },
        cell: ({ row }) => (
          <Link href={`/p/${platformId}/courses/${row.original.id}`} className="font-medium text-brand-700 hover:underline">
            {row.original.title}
          </Link>
        ),
      },
      {
        id: "type",
        header: "Type",
        meta: { sortKey: "type" },
        cell: ({ row }) => formatContentType(row.original.contentType),
      },
      { id: "language", header: "Language", meta: { sortKey: "language" }, cell: ({ row }) => formatLanguage(row.original.language) },
      { id: "level", header: "Level", meta: { sortKey: "level" }, cell: ({ row }) => formatLevel(row.original.level) },
      {
        id: "skills",
        header: "Skills",
        cell: ({ row }) =>
          row.original.skills.length === 0 ? (
            <span className="text-slate-500">None</span>
          ) : (
            <ul className="flex flex-wrap gap-1" aria-label={`Skills of ${row.original.title}`}>
              {row.original.skills.map((s) => (
                <li key={s.id}>
                  <Badge tone="info">{s.name}</Badge>
                </li>
              ))}
            </ul>
          ),
      },
      {
        id: "status",
        header: "Status",
        cell: ({ row }) => (row.original.retired ? <Badge tone="warning">Retired</Badge> : <Badge tone="success">Active</Badge>),
      },
    ],
    [platformId],
  );

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm" aria-live="polite">
        <span>
          {selectedIds.length === 0
            ? "Select courses to change their skills together."
            : `${selectedIds.length} course${selectedIds.length === 1 ? "" : "s"} selected`}
        </span>
        <Button variant="secondary" disabled={selectedIds.length === 0} onClick={() => setBulk("attach")}>
          Add skills to selected
        </Button>
        <Button variant="secondary" disabled={selectedIds.length === 0} onClick={() => setBulk("detach")}>
          Remove skills from selected
        </Button>
      </div>
      <DataTable
        caption="Coursera courses"
        columns={columns}
        data={rows}
        total={total}
        page={page}
        pageSize={pageSize}
        sort={sort}
        dir={dir}
        rowLabel="courses"
        rowSelection={selection}
        onRowSelectionChange={setSelection}
        totalIsLowerBound={totalIsLowerBound}
      />
      <BulkSkillsDialog
        platformId={platformId}
        mode={bulk}
        courseIds={selectedIds}
        onClose={(done) => {
          setBulk(null);
          if (done) setSelection({});
        }}
      />
    </div>
  );
}

function BulkSkillsDialog({
  platformId,
  mode,
  courseIds,
  onClose,
}: {
  platformId: string;
  mode: "attach" | "detach" | null;
  courseIds: string[];
  onClose: (done: boolean) => void;
}) {
  const [names, setNames] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const verb = mode === "detach" ? "Remove" : "Add";

  function submit() {
    if (!mode) return;
    startTransition(async () => {
      const result = await bulkSkillsAction(platformId, { courseIds, names, mode });
      if (!result.ok) {
        setError(result.message);
        return;
      }
      toast.success(
        mode === "attach"
          ? `${names.join(", ")} added to ${result.courses} course${result.courses === 1 ? "" : "s"}.`
          : `${names.join(", ")} removed from ${result.courses} course${result.courses === 1 ? "" : "s"}.`,
      );
      setNames([]);
      setError(null);
      onClose(true);
    });
  }

  return (
    <Dialog
      open={mode !== null}
      onOpenChange={(open) => {
        if (!open) {
          setNames([]);
          setError(null);
          onClose(false);
        }
      }}
      title={`${verb} skills ${mode === "detach" ? "from" : "to"} ${courseIds.length} course${courseIds.length === 1 ? "" : "s"}`}
      description={
        mode === "detach"
          ? "The skills are removed from every selected course that has them."
          : "The skills are added to every selected course. New names are added to the skill library."
      }
    >
      <div className="space-y-3">
        <SkillInput
          platformId={platformId}
          label="Skill"
          exclude={names}
          onPick={(n) => setNames((prev) => (prev.some((p) => skillKey(p) === skillKey(n)) ? prev : [...prev, n]))}
        />
        {names.length > 0 && (
          <ul className="flex flex-wrap gap-2" aria-label="Skills to apply">
            {names.map((n) => (
              <li key={n} className="inline-flex items-center gap-1 rounded-full bg-brand-100 px-2 py-0.5 text-xs text-brand-800">
                <span>{n}</span>
                <button
                  type="button"
                  aria-label={`Do not apply ${n}`}
                  className="rounded px-1 hover:bg-brand-50"
                  onClick={() => setNames((prev) => prev.filter((p) => p !== n))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        {error && (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        )}
        <div className="flex justify-end gap-3">
          <Button variant="secondary" onClick={() => onClose(false)}>
            Cancel
          </Button>
          <Button onClick={submit} disabled={pending || names.length === 0}>
            {pending ? "Applying…" : `${verb} ${names.length || ""} skill${names.length === 1 ? "" : "s"}`.replace("  ", " ")}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
