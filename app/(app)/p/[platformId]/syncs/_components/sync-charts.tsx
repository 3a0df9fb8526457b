"use client";

import { BarChartFigure, LineChartFigure } from "@/components/charts";

type Point = {
  at: string;
  durationSeconds: number;
  fetched: number;
  created: number;
  updated: number;
  retired: number;
  invalid: number;
  matched: number;
  unmatched: number;
};

const labelFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
const label = (at: string) => labelFormat.format(new Date(at));

/** Counts and durations of the last runs, per kind. */
export function SyncCharts({ catalogue, statistics }: { catalogue: Point[]; statistics: Point[] }) {
  const cat = catalogue.map((p) => ({ ...p, when: label(p.at) }));
  const stats = statistics.map((p) => ({ ...p, when: label(p.at) }));
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {cat.length > 0 && (
        <BarChartFigure
          title="Catalogue syncs: changes per run"
          data={cat}
          xKey="when"
          stacked
          series={[
            { key: "created", label: "New" },
            { key: "updated", label: "Updated" },
            { key: "retired", label: "Retired" },
            { key: "invalid", label: "Invalid" },
          ]}
        />
      )}
      {stats.length > 0 && (
        <BarChartFigure
          title="Statistics syncs: records per run"
          data={stats}
          xKey="when"
          stacked
          series={[
            { key: "matched", label: "Matched" },
            { key: "unmatched", label: "Unmatched" },
            { key: "invalid", label: "Invalid" },
          ]}
        />
      )}
      {(cat.length > 0 || stats.length > 0) && (
        <LineChartFigure
          title="Duration of the last runs (seconds)"
          data={mergeDurations(cat, stats)}
          xKey="index"
          series={[
            { key: "catalogue", label: "Catalogue" },
            { key: "statistics", label: "Statistics" },
          ]}
        />
      )}
    </div>
  );
}

/** Runs of both kinds side by side, the nth last run of each on the same x. */
function mergeDurations(cat: Point[], stats: Point[]) {
  const n = Math.max(cat.length, stats.length);
  return Array.from({ length: n }, (_, i) => ({
    index: `#${i + 1}`,
    catalogue: cat[cat.length - n + i]?.durationSeconds ?? null,
    statistics: stats[stats.length - n + i]?.durationSeconds ?? null,
  }));
}
