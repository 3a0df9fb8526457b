/**
 * The duration chart's points: every run of both kinds at the time it started,
 * in time order, each carrying its own kind's duration (the other kind's is
 * null and bridged by the line), so runs of the two kinds never share an x
 * they did not share in time.
 */
export function durationPoints(
  catalogue: readonly { time: number; durationSeconds: number }[],
  statistics: readonly { time: number; durationSeconds: number }[],
): { time: number; catalogue: number | null; statistics: number | null }[] {
  return [
    ...catalogue.map((p) => ({ time: p.time, catalogue: p.durationSeconds, statistics: null })),
    ...statistics.map((p) => ({ time: p.time, catalogue: null, statistics: p.durationSeconds })),
  ].sort((a, b) => a.time - b.time);
}
