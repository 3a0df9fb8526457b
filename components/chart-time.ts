import { offsetAt } from "@/lib/sync/local-time";

/**
 * A real time axis for the charts (Recharts `type="number"` `scale="time"`):
 * its domain, its ticks and their labels in a given time zone. Pure, so the
 * domain for one run and for two hundred is tested without a browser.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Tick spacings the axis may use, smallest first; a day or more is counted in the zone's days. */
const STEPS = [5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY];

/**
 * The x domain for points at `times` (epoch ms): from the first to the last,
 * widened by a twentieth of the span on each side so no point sits on the
 * frame. Runs within an hour of each other (one run, or a few minutes apart)
 * are centred in two hours: a zero-width domain would put a point nowhere,
 * and a few minutes' domain would hold a single tick.
 */
export function timeDomain(times: readonly number[]): [number, number] {
  if (times.length === 0) {
    const now = Date.now();
    return [now - HOUR, now + HOUR];
  }
  const min = Math.min(...times);
  const max = Math.max(...times);
  if (max - min < HOUR) {
    const middle = (min + max) / 2;
    return [middle - HOUR, middle + HOUR];
  }
  const pad = (max - min) / 20;
  return [min - pad, max + pad];
}

/** The spacing that puts at most `maxTicks` ticks on the domain. */
export function tickStep([from, to]: readonly [number, number], maxTicks = 6): number {
  const span = Math.max(0, to - from);
  return STEPS.find((step) => span / step <= maxTicks) ?? Math.ceil(span / maxTicks / DAY) * DAY;
}

/**
 * Ticks at round local times of `timeZone` inside the domain (every 3 hours
 * from local midnight, every day at local midnight…), so the labels read as
 * the connector's clock reads.
 */
export function timeTicks(domain: readonly [number, number], timeZone: string, maxTicks = 6): number[] {
  const [from, to] = domain;
  const step = tickStep(domain, maxTicks);
  const ticks: number[] = [];
  // Round in the zone's wall-clock time, then back to an instant: a tick "00:00" is local midnight.
  const offset = offsetAt(from, timeZone);
  let local = Math.ceil((from + offset) / Math.min(step, DAY)) * Math.min(step, DAY);
  if (step > DAY) local = Math.ceil((from + offset) / DAY) * DAY;
  for (let guard = 0; guard < 1000; guard++) {
    const instant = local - offsetAt(local - offset, timeZone);
    if (instant > to) break;
    if (instant >= from) ticks.push(instant);
    local += step;
  }
  return ticks;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function formatOf(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(
      "en-GB",
      withTime
        ? { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }
        : { day: "numeric", month: "short", timeZone },
    );
    formats.set(key, format);
  }
  return format;
}

/** Tick labels: "3 Dec, 14:00" while ticks are hours apart, "3 Dec" once they are days apart. */
export function timeTickFormatter(domain: readonly [number, number], timeZone: string, maxTicks = 6): (t: number) => string {
  const withTime = tickStep(domain, maxTicks) < DAY;
  return (t) => formatOf(timeZone, withTime).format(new Date(t));
}

/** A point's full label (tooltips, the screen-reader table): date and time in the zone. */
export function formatChartTime(t: number, timeZone: string): string {
  return formatOf(timeZone, true).format(new Date(t));
}
