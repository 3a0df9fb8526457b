import Link from "next/link";
import { buttonClasses } from "@/components/button";
import { formatNumber } from "@/components/format";

/**
 * Previous / next links over a server-paged list (plain links: they work
 * without JavaScript). Whether a next page exists is known from the page itself
 * (one row more is read), so no count has to finish first.
 */
export function PageLinks({ page, hasNextPage, hrefFor }: { page: number; hasNextPage: boolean; hrefFor: (page: number) => string }) {
  if (page <= 1 && !hasNextPage) return null;
  const disabled = `${buttonClasses("secondary")} pointer-events-none opacity-50`;
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      {page > 1 ? (
        <Link href={hrefFor(page - 1)} className={buttonClasses("secondary")} rel="prev">
          Previous page
        </Link>
      ) : (
        <span className={disabled} aria-disabled="true">
          Previous page
        </span>
      )}
      <span className="text-slate-600">Page {formatNumber(page)}</span>
      {hasNextPage ? (
        <Link href={hrefFor(page + 1)} className={buttonClasses("secondary")} rel="next">
          Next page
        </Link>
      ) : (
        <span className={disabled} aria-disabled="true">
          Next page
        </span>
      )}
    </nav>
  );
}
