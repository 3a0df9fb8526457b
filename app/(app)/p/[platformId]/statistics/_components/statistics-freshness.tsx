import Link from "next/link";
import { formatZonedDateTime } from "@/components/format";
import type { StatisticsFreshness } from "@/lib/statistics/queries";

/**
 * How fresh the statistics are: the last successful statistics sync (the hourly incremental one or
 * the daily full one) and when it read Coursera's report, in the connector's time zone. Coursera's
 * own reports lag learners' activity by up to a day, which no sync can make up for: said once here.
 */
export function StatisticsFreshnessLine({ platformId, freshness }: { platformId: string; freshness: StatisticsFreshness | null }) {
  const last = freshness?.last;
  if (!freshness || !last) {
    return (
      <p className="mt-1 text-sm text-slate-600" data-testid="statistics-freshness">
        No statistics sync has succeeded yet.{" "}
        <Link href={`/p/${platformId}/syncs`} className="font-medium text-brand-700 underline">
          Sync history
        </Link>{" "}
        runs one.
      </p>
    );
  }
  const { timeZone, lastFull } = freshness;
  const at = (d: Date) => <time dateTime={d.toISOString()}>{formatZonedDateTime(d, timeZone)}</time>;
  return (
    <p className="mt-1 text-sm text-slate-600" data-testid="statistics-freshness" data-mode={last.mode}>
      As of {at(last.finishedAt)}, from Coursera&rsquo;s report of {at(last.reportReadAt)} (
      {last.mode === "INCREMENTAL" ? "incremental sync: the records that changed" : "full sync"}).
      {last.mode === "INCREMENTAL" && lastFull && <> Last full sync: {at(lastFull.finishedAt)}.</>} Coursera&rsquo;s reports can lag
      learners&rsquo; activity by up to a day.
    </p>
  );
}
