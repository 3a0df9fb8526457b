import type { Metadata } from "next";
import { requirePlatformAccess } from "@/lib/auth/session";
import { statisticsViewQuery } from "@/lib/statistics/admin-view";
import { parseStatisticsParams } from "@/lib/statistics/params";
import { getStatisticsFreshness, getStatisticsView } from "@/lib/statistics/queries";
import { StatisticsFreshnessLine } from "./_components/statistics-freshness";
import { StatisticsView } from "./_components/statistics-view";

export const metadata: Metadata = { title: "Learner statistics" };

export default async function StatisticsPage({
  params,
  searchParams,
}: {
  params: Promise<{ platformId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { platformId } = await params;
  await requirePlatformAccess(platformId);
  const search = await searchParams;
  const filters = parseStatisticsParams(search);
  const [firstView, freshness] = await Promise.all([getStatisticsView(platformId, filters), getStatisticsFreshness(platformId)]);
  const firstQuery = statisticsViewQuery(search);

  return (
    // A column whose charts move below the tables on a phone, so that the table is on the first screen
    // (only the picture moves: the document order, and so reading and tab order, stay as written).
    <main className="flex flex-col gap-4 sm:gap-6">
      {/* The first view is rendered here; the filters, the view and paging then fetch JSON (the view's route handler). */}
      <StatisticsView
        platformId={platformId}
        first={{ query: firstQuery, view: firstView }}
        heading={
          <>
            <h1 className="text-2xl font-semibold">Learner statistics</h1>
            <p className="mt-1 text-sm text-slate-600">Completion, progress, score and time spent, as last reported by Coursera.</p>
            <StatisticsFreshnessLine platformId={platformId} freshness={freshness} />
          </>
        }
      />
    </main>
  );
}
