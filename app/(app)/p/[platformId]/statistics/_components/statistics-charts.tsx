"use client";

import { BarChartFigure } from "@/components/charts";

export function StatisticsCharts({
  status,
  distribution,
}: {
  status: { label: string; rows: number }[];
  distribution: { bucket: string; rows: number }[];
}) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <BarChartFigure
        title="Completion: learner × course rows by status"
        data={status}
        xKey="label"
        series={[{ key: "rows", label: "Rows" }]}
      />
      <BarChartFigure title="Progress distribution" data={distribution} xKey="bucket" series={[{ key: "rows", label: "Rows" }]} />
    </div>
  );
}
