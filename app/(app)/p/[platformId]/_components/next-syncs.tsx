import { formatZonedDateTime } from "@/components/format";
import type { ScheduleSettings } from "@/lib/schedules/queries";

/** The next scheduled catalogue and statistics syncs, in the connector's local time. */
export function NextSyncs({ next, now = new Date() }: { next: ScheduleSettings["next"]; now?: Date }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2" data-testid="next-syncs">
      {(["CATALOGUE", "STATISTICS"] as const).map((kind) => {
        const { at, schedule } = next[kind];
        const label = kind === "CATALOGUE" ? "Next catalogue sync" : "Next statistics sync";
        return (
          <div key={kind}>
            <dt className="text-slate-600">{label}</dt>
            <dd data-testid={`next-${kind.toLowerCase()}-sync`}>
              {at <= now ? "Due now (starts within 5 minutes)" : formatZonedDateTime(at, schedule.timeZone)}
              <span className="block text-xs text-slate-600">
                {schedule.chosen
                  ? `Daily at ${schedule.time}`
                  : `Daily at the default time (${schedule.time}–${defaultEnd(schedule.time)})`}
                , {schedule.timeZone.replaceAll("_", " ")}
              </span>
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

function defaultEnd(time: string): string {
  const [h, m] = time.split(":").map(Number);
  const end = h * 60 + m + 30;
  return `${String(Math.floor(end / 60) % 24).padStart(2, "0")}:${String(end % 60).padStart(2, "0")}`;
}
