"use client";

import { TimeSeriesChartFigure } from "@/components/charts";
import { durationPoints } from "./chart-points";

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

/** Counts and durations of the last runs, per kind, on a time axis in the connector's time zone. */
export function SyncCharts({ catalogue, statistics, timeZone }: { catalogue: Point[]; statistics: Point[]; timeZone: string }) {
  const cat = catalogue.map((p) => ({ ...p, time: Date.parse(p.at) }));
  const stats = statistics.map((p) => ({ ...p, time: Date.parse(p.at) }));
  if (cat.length === 0 && stats.length === 0) return null;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <p className="text-xs text-slate-600 lg:col-span-2">Times in the connector&apos;s time zone, {timeZone.replaceAll("_", " ")}.</p>
      {cat.length > 0 && (
        <TimeSeriesChartFigure
          title="Catalogue syncs: changes per run"
          data={cat}
          timeKey="time"
          timeZone={timeZone}
          series={[
            { key: "created", label: "New" },
            { key: "updated", label: "Updated" },
            { key: "retired", label: "Retired" },
            { key: "invalid", label: "Invalid" },
          ]}
        />
      )}
      {stats.length > 0 && (
        <TimeSeriesChartFigure
          title="Statistics syncs: records per run"
          data={stats}
          timeKey="time"
          timeZone={timeZone}
          series={[
            { key: "matched", label: "Matched" },
            { key: "unmatched", label: "Unmatched" },
            { key: "invalid", label: "Invalid" },
          ]}
        />
      )}
      <TimeSeriesChartFigure
        title="Duration of the runs (seconds)"
        data={durationPoints(cat, stats)}
        timeKey="time"
        timeZone={timeZone}
        series={[
          { key: "catalogue", label: "Catalogue" },
          { key: "statistics", label: "Statistics" },
        ]}
      />
    </div>
  );
}
