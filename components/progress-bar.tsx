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
