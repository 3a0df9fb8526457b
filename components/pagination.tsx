"use client";

import { formatNumber } from "@/components/format";
import { buttonClasses } from "@/components/button";
import { useUrlState } from "@/components/use-url-state";

/** Previous / next paging over a server-paged list; the page lives in the URL. */
export function Pagination({
  page,
  pageSize,
  total,
  label = "rows",
  totalIsLowerBound = false,
}: {
  page: number;
  pageSize: number;
  total: number;
  label?: string;
  /** The count stopped at `total` ("1,000+"). */
  totalIsLowerBound?: boolean;
}) {
  const { setParams, pending } = useUrlState();
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm" aria-busy={pending}>
      <p className="text-slate-600" aria-live="polite">
        {total === 0
          ? `No ${label}`
          : `${formatNumber(from)}–${formatNumber(to)} of ${formatNumber(total)}${totalIsLowerBound ? "+" : ""} ${label}`}
      </p>
      <div className="flex items-center gap-2">
        <button
          type="button"
          className={buttonClasses("secondary")}
          disabled={page <= 1 || pending}
          onClick={() => setParams({ page: page - 1 > 1 ? String(page - 1) : null })}
        >
          Previous page
        </button>
        <span className="text-slate-600">
          Page {formatNumber(page)} of {formatNumber(pageCount)}
          {totalIsLowerBound ? "+" : ""}
        </span>
        <button
          type="button"
          className={buttonClasses("secondary")}
          disabled={page >= pageCount || pending}
          onClick={() => setParams({ page: String(page + 1) })}
        >
          Next page
        </button>
      </div>
    </nav>
  );
}
