/** A determinate bar when the total is known, an indeterminate one (no value) while it is not. */
export function ProgressBar({ value, max, label }: { value: number; max: number | null; label: string }) {
  const known = max !== null && max > 0;
  const percent = known ? Math.min(100, Math.round((value / max) * 100)) : null;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={known ? max : undefined}
      aria-valuenow={known ? Math.min(value, max) : undefined}
      aria-valuetext={known ? `${percent}% (${value} of ${max})` : `${value} processed`}
      className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div
        className={`h-full rounded-full bg-brand-600 transition-[width] duration-500 ${known ? "" : "w-1/3 animate-pulse"}`}
        style={known ? { width: `${percent}%` } : undefined}
      />
    </div>
  );
}

const barTones = { success: "bg-emerald-600", info: "bg-brand-600", neutral: "bg-slate-500" } as const;

/**
 * A percentage as a short bar with its number beside it (the number is the value a reader and a
 * screen reader get; the bar is for scanning a column). `tone` colours the bar like the row's status badge.
 */
export function PercentBar({ percent, label, tone = "info" }: { percent: number; label: string; tone?: keyof typeof barTones }) {
  const rounded = Math.round(percent * 10) / 10;
  const width = Math.max(0, Math.min(100, percent));
  return (
    <span className="flex items-center gap-2">
      <span
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={rounded}
        aria-valuetext={`${rounded}%`}
        className="h-2 w-20 shrink-0 overflow-hidden rounded-full bg-slate-200"
      >
        <span className={`block h-full rounded-full ${barTones[tone]}`} style={{ width: `${width}%` }} />
      </span>
      <span className="tabular-nums" aria-hidden="true">
        {rounded}%
      </span>
    </span>
  );
}
