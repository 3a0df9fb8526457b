import { z } from "zod";
import { canonicalTimeZone, LOCAL_TIME_PATTERN } from "@/lib/sync/local-time";

/**
 * The connector's sync schedule form, shared by the form (client validation)
 * and the server action (the real validation). Times are local, in the chosen
 * zone; blank means the default (the platform's zone, the kind's default hour).
 */

const localTime = z
  .string()
  .trim()
  .max(5, "Enter a time as HH:MM (24-hour clock), or leave it blank for the default.")
  .refine((v) => v === "" || LOCAL_TIME_PATTERN.test(v), "Enter a time as HH:MM (24-hour clock), or leave it blank for the default.");

export const scheduleSchema = z.object({
  /** "" = the platform's time zone. */
  timeZone: z
    .string()
    .trim()
    .max(64, "Choose a time zone from the list.")
    .refine((v) => v === "" || canonicalTimeZone(v) !== null, "Choose a time zone from the list."),
  catalogueTime: localTime,
  statisticsTime: localTime,
  /** Alerts: hours without a successful sync of a kind before the connector counts as stale. */
  staleAfterHours: z
    .string()
    .trim()
    .regex(/^\d{1,3}$/, "Enter a whole number of hours between 2 and 720.")
    .refine((v) => Number(v) >= 2 && Number(v) <= 720, "Enter a whole number of hours between 2 and 720."),
});

export type ScheduleInput = z.input<typeof scheduleSchema>;
