/** Benchmark rows, the one table format `npm run bench` prints, and the latency percentile they report. */
export interface BenchRow {
  scenario: string;
  items: number;
  wallMs: number;
  rowsPerSec: number;
  peakRssMb?: number;
  note?: string;
}

export function printTable(title: string, rows: BenchRow[]): void {
  console.log(`\n${title}`);
  console.table(
    rows.map((r) => ({
      scenario: r.scenario,
      items: r.items,
      "wall (s)": +(r.wallMs / 1000).toFixed(2),
      "rows/s": Math.round(r.rowsPerSec),
      "peak RSS growth (MB)": r.peakRssMb === undefined ? "" : Math.round(r.peakRssMb),
      note: r.note ?? "",
    })),
  );
}

/** The p-th percentile (nearest rank) of ascending latencies; NaN when there are none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
