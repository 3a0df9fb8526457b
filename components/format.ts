/** Formatting shared by server and client components. Dates are stored in UTC and shown in the viewer's zone. */

import type { ContentType } from "@/lib/generated/prisma/enums";
import { COURSE_LEVEL_ORDER } from "@/lib/catalogue/levels";

// Building an Intl formatter costs far more than formatting with one (≈ 0.1 ms each on the server,
// a quarter of a statistics page's render time when made per cell): one per time zone, kept.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormat = new Intl.NumberFormat("en-GB");

function dateTimeFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? "";
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone });
    dateTimeFormats.set(key, format);
  }
  return format;
}

export function formatDateTime(value: Date | string | null | undefined, timeZone?: string): string {
  if (!value) return "—";
  return dateTimeFormat(timeZone).format(new Date(value));
}

const zonedFormats = new Map<string, Intl.DateTimeFormat>();

/** A date and time as the clock of `timeZone` shows it, with the zone's abbreviation ("Thu 3 Dec 2026, 02:17 CET"). */
export function formatZonedDateTime(value: Date | string | null | undefined, timeZone: string): string {
  if (!value) return "—";
  let format = zonedFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
      timeZone,
    });
    zonedFormats.set(timeZone, format);
  }
  return format.format(new Date(value));
}

/**
 * A sync run's name in the admin pages: the statistics sync is either the daily full one (the
 * whole report) or the hourly incremental one (the records changed since the last success).
 */
export function syncRunName(run: { kind: "CATALOGUE" | "STATISTICS"; mode: "FULL" | "INCREMENTAL" | "DRY_RUN" }): string {
  if (run.kind === "CATALOGUE") return run.mode === "DRY_RUN" ? "Catalogue dry run" : "Catalogue sync";
  return run.mode === "INCREMENTAL" ? "Incremental statistics sync" : "Statistics sync";
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** A count with its noun: "1 row", "2 rows", "1,000 entries" (`many` defaults to `one` + "s"). */
export function formatCount(value: number, one: string, many = `${one}s`): string {
  return `${formatNumber(value)} ${value === 1 ? one : many}`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Coursera's enum-like values ("BEGINNER", "GUIDED_PROJECT") as people write them. */
export function formatEnumLabel(value: string | null | undefined): string {
  if (!value) return "—";
  const words = value.toLowerCase().split("_");
  return words.map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(" ");
}

/** How long ago, in the words an admin uses ("just now", "12 min ago", "3 h ago", "5 d ago"); "—" for nothing. */
export function formatAge(value: Date | string | null | undefined, now: Date | number = Date.now()): string {
  if (!value) return "—";
  const ms = (typeof now === "number" ? now : now.getTime()) - new Date(value).getTime();
  if (ms < 60_000) return ms < -60_000 ? "in the future" : "just now";
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return days < 60 ? `${days} d ago` : `${Math.floor(days / 30)} months ago`;
}

/** 90 → "1 h 30 min"; 2400 → "40 h". */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return "—";
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 || h >= 10 ? `${h} h` : `${h} h ${m} min`;
}

// ─── Course facts: one spelling for admins and learners ────────────────────

/** Content types in sentence case, as every page writes them. */
export const CONTENT_TYPE_LABELS: Record<ContentType, string> = {
  COURSE: "Course",
  SPECIALIZATION: "Specialization",
  PROFESSIONAL_CERTIFICATE: "Professional certificate",
  GUIDED_PROJECT: "Guided project",
  PROJECT: "Project",
  VIDEO: "Video",
  OTHER: "Other",
};

/** "GUIDED_PROJECT" → "Guided project"; a type this build does not know is written like the others. */
export function formatContentType(type: string | null | undefined): string {
  if (!type) return "—";
  return CONTENT_TYPE_LABELS[type as ContentType] ?? formatEnumLabel(type);
}

const LEVEL_LABELS: Record<(typeof COURSE_LEVEL_ORDER)[number], string> = {
  beginner: "Beginner",
  intermediate: "Intermediate",
  advanced: "Advanced",
  mixed: "Mixed",
};

/** Coursera's difficulty ("BEGINNER", "beginner") → "Beginner"; anything else in sentence case; "—" for none. */
export function formatLevel(level: string | null | undefined): string {
  if (!level?.trim()) return "—";
  return LEVEL_LABELS[level.trim().toLowerCase() as keyof typeof LEVEL_LABELS] ?? formatEnumLabel(level.trim());
}

const languageNames = new Intl.DisplayNames(["en"], { type: "language" });

/** "es" → "Spanish", "zh-CN" → "Chinese (China)"; an unknown or malformed code is shown as it is; "—" for none. */
export function formatLanguage(code: string | null | undefined): string {
  if (!code) return "—";
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}
