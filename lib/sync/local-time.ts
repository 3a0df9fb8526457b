/**
 * Wall-clock times in an IANA time zone, turned into instants, right across
 * daylight-saving changes. Pure (Intl only), so the browser may use it too.
 *
 * The one rule for a daily local time "HH:MM" on a given day: it happens at the
 * first instant at which the zone's clock shows that time or later. So
 *   - on an ordinary day, at that time;
 *   - when the clocks go back and the time happens twice (01:30 in New York on
 *     the first Sunday of November), once, at its first occurrence;
 *   - when the clocks go forward over it (02:30 in Paris on the last Sunday of
 *     March), once, at the first valid instant after it: the moment the clocks
 *     jump (03:00 local).
 * Croner, which the schedules used before, does neither consistently (a time
 * skipped by the clocks runs as much later as the jump, 03:30; a repeated time
 * runs at its first occurrence in New York but its second in Paris:
 * lib/sync/local-time.test.ts pins both), hence this module.
 */

export const LOCAL_TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** The canonical name of an IANA time zone this runtime knows ("europe/paris" → "Europe/Paris"), or null. */
export function canonicalTimeZone(name: string): string | null {
  if (typeof name !== "string" || name.length === 0 || name.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Every time zone offered in the admin pages: UTC first, then the runtime's IANA list. */
export function timeZoneNames(): string[] {
  return ["UTC", ...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC")];
}

interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What the zone's clock shows at `instant` (to the second). */
export function wallClockAt(instant: Date | number, timeZone: string): WallClock {
  const parts = formatFor(timeZone).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

/** The zone's offset from UTC at `instant`, in milliseconds (east positive). */
export function offsetAt(instant: number, timeZone: string): number {
  const seconds = Math.floor(instant / 1000) * 1000;
  const w = wallClockAt(seconds, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - seconds;
}

export function parseLocalTime(value: string): { hour: number; minute: number } | null {
  const match = LOCAL_TIME_PATTERN.exec(value);
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : null;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The instant a local time happens on a local date (the rule above): the first
 * instant whose wall clock reads that date and time or later.
 */
export function instantOfLocalTime(date: { year: number; month: number; day: number }, time: string, timeZone: string): Date {
  const parsed = parseLocalTime(time);
  if (!parsed) throw new Error(`Not a local time (HH:MM): ${time}`);
  // The wall clock read as if it were UTC; the instant is that minus the zone's offset then.
  const naive = Date.UTC(date.year, date.month - 1, date.day, parsed.hour, parsed.minute);
  // A zone changes its offset at most once in two days: the offsets on either side are the candidates.
  const before = offsetAt(naive - DAY_MS, timeZone);
  const after = offsetAt(naive + DAY_MS, timeZone);
  const matches = [...new Set([before, after])].map((o) => naive - o).filter((t) => offsetAt(t, timeZone) === naive - t);
  if (matches.length > 0) return new Date(Math.min(...matches));
  // Skipped by a jump forward: the clocks jump between naive - after and naive - before. Find that instant.
  let lo = naive - after; // still the old offset
  let hi = naive - before; // already the new one
  if (hi <= lo) hi = lo + 2 * HOUR_MS;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

/** Adds `days` to a calendar date (no time zone involved). */
function addDays(date: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The first occurrence of the daily local time strictly after `after`. */
export function nextLocalOccurrence(time: string, timeZone: string, after: Date): Date {
  const today = wallClockAt(after, timeZone);
  for (let offset = -1; offset <= 2; offset++) {
    const candidate = instantOfLocalTime(addDays(today, offset), time, timeZone);
    if (candidate.getTime() > after.getTime()) return candidate;
  }
  // Unreachable: a day later always has the time (or the instant after it).
  return instantOfLocalTime(addDays(today, 3), time, timeZone);
}
