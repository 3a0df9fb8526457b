"use client";

import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type RowSelectionState, type OnChangeFn } from "@tanstack/react-table";
import { Pagination } from "@/components/pagination";
import { useUrlState } from "@/components/use-url-state";

export type { ColumnDef, RowSelectionState };

/**
 * A table whose paging and sorting happen on the server: TanStack Table only
 * renders; clicking a sortable header or a page button changes the URL, and the
 * server component above renders the new page. Sortable columns carry
 * `meta: { sortKey }` (the URL's `sort` value).
 */
export function DataTable<T extends { id: string }>({
  caption,
  columns,
  data,
  total,
  page,
  pageSize,
  sort,
  dir,
  rowLabel = "rows",
  emptyMessage = "Nothing matches these filters.",
  rowSelection,
  onRowSelectionChange,
  totalIsLowerBound = false,
}: {
  caption: string;
  columns: ColumnDef<T>[];
  data: T[];
  total: number;
  page: number;
  pageSize: number;
  sort?: string;
  dir?: "asc" | "desc";
  rowLabel?: string;
  emptyMessage?: string;
  rowSelection?: RowSelectionState;
  onRowSelectionChange?: OnChangeFn<RowSelectionState>;
  totalIsLowerBound?: boolean;
}) {
  const { setParams, pending } = useUrlState();
  // eslint-disable-next-line react-hooks/incompatible-library -- the table object is rebuilt each render on purpose; nothing memoised depends on it.
  const table = useReactTable({
    data,
    columns,
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    enableRowSelection: Boolean(onRowSelectionChange),
    state: { rowSelection: rowSelection ?? {} },
    onRowSelectionChange,
  });

  return (
    <div className="space-y-3">
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full text-sm" aria-busy={pending}>
          <caption className="sr-only">{caption}</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sortKey = (header.column.columnDef.meta as { sortKey?: string } | undefined)?.sortKey;
                  const active = sortKey !== undefined && sortKey === sort;
                  const label = header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext());
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className="px-4 py-2 font-medium"
                      aria-sort={active ? (dir === "desc" ? "descending" : "ascending") : undefined}
                    >
                      {sortKey ? (
                        <button
                          type="button"
                          className="inline-flex items-center gap-1 hover:text-slate-900"
                          onClick={() => setParams({ sort: sortKey, dir: active && dir === "asc" ? "desc" : "asc" })}
                        >
                          {label}
                          <span aria-hidden="true">{active ? (dir === "desc" ? "▼" : "▲") : "↕"}</span>
                        </button>
                      ) : (
                        label
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-slate-100">
            {table.getRowModel().rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="px-4 py-8 text-center text-slate-600">
                  {emptyMessage}
                </td>
              </tr>
            ) : (
              table.getRowModel().rows.map((row) => (
                <tr key={row.id} className={row.getIsSelected() ? "bg-brand-50" : undefined}>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className="px-4 py-2 align-top">
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <Pagination page={page} pageSize={pageSize} total={total} label={rowLabel} totalIsLowerBound={totalIsLowerBound} />
    </div>
  );
}
