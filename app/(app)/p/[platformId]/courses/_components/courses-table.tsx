"use client";

import { LoadError } from "@/components/load-error";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useMemo, useState, useTransition, type ReactNode } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/badge";
import { formatContentType, formatLanguage, formatLevel } from "@/components/format";
import { Button } from "@/components/button";
import { DataTable, type ColumnDef, type RowSelectionState } from "@/components/data-table";
import { Dialog } from "@/components/dialog";
import { UrlStateQueryContext } from "@/components/use-url-state";
import { courseTableQuery, type CourseTablePage, type CourseTableRow } from "@/lib/catalogue/admin-table";
import { skillKey } from "@/lib/skills/schema";
import { bulkSkillsAction } from "../actions";
import { SkillInput } from "./skill-input";

type CourseRow = CourseTableRow;

const coursesQueryKey = (platformId: string) => ["admin-courses", platformId] as const;

async function fetchCourses(platformId: string, query: string, signal: AbortSignal): Promise<CourseTablePage> {
  const response = await fetch(`/api/platforms/${platformId}/courses?${query}`, { cache: "no-store", signal });
  if (!response.ok) throw new Error(`courses ${response.status}`);
  return response.json();
}

/**
 * Around the filters and the table: their controls change the URL in place and
 * the table's query fetches the rows (components/use-url-state.ts), rather than
 * the server rendering the whole page again for each key or click.
 */
export function CoursesTableScope({ platformId, children }: { platformId: string; children: ReactNode }) {
  const value = useMemo(() => ({ queryKey: coursesQueryKey(platformId) }), [platformId]);
  return <UrlStateQueryContext value={value}>{children}</UrlStateQueryContext>;
}

/**
 * The courses table with row selection for skills in bulk. Its state is the
 * URL's; the first page comes rendered with the page (`first`), every other
 * from GET /api/platforms/[platformId]/courses, the rows on screen staying
 * until the next ones arrive.
 */
export function CoursesTable({ platformId, first }: { platformId: string; first: { query: string; page: CourseTablePage } }) {
  const searchParams = useSearchParams();
  const query = courseTableQuery(searchParams);
  const courses = useQuery({
    queryKey: [...coursesQueryKey(platformId), query],
    queryFn: ({ signal }) => fetchCourses(platformId, query, signal),
    initialData: query === first.query ? first.page : undefined,
    placeholderData: keepPreviousData,
  });
  // Before any answer for a new URL there is still the page rendered first (the placeholder keeps the last one shown).
  const { rows, total, totalIsLowerBound, page, pageSize } = courses.data ?? first.page;
  const sort = searchParams.get("sort") ?? "title";
  const dir = searchParams.get("dir") === "desc" ? "desc" : "asc";
  const queryClient = useQueryClient();
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
        // Not prefetched: the rows change with every key typed in the search, and each visible link would ask the server
        // for its page's route (ten requests a keystroke beside the table's own, measured with 100,000 courses).
        cell: ({ row }) => (
          <Link
            href={`/p/${platformId}/courses/${row.original.id}`}
            prefetch={false}
            className="font-medium text-brand-700 hover:underline"
          >
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
      {courses.isError && <LoadError what="These courses" onRetry={() => courses.refetch()} />}
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
          if (done) {
            setSelection({});
            // The rows show skills: every page fetched before the change is out of date.
            void queryClient.invalidateQueries({ queryKey: coursesQueryKey(platformId) });
          }
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
