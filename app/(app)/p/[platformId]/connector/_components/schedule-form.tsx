"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Button } from "@/components/button";
import { TextField } from "@/components/text-field";
import { scheduleSchema, type ScheduleInput } from "@/lib/schedules/schema";
import { saveScheduleAction } from "../actions";

/**
 * When the daily syncs run, in local time: a time zone (blank: the
 * platform's) and a time per sync (blank: the default hour, each connector at
 * its own minute of the next half hour). The server turns them into instants
 * (lib/sync/schedule.ts).
 */
export function ScheduleForm({
  platformId,
  current,
  platformTimeZone,
  timeZones,
}: {
  platformId: string;
  current: { timeZone: string; catalogueTime: string; statisticsTime: string; staleAfterHours: string };
  platformTimeZone: string;
  timeZones: string[];
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<ScheduleInput>({ resolver: zodResolver(scheduleSchema), defaultValues: current });
  const { errors } = form.formState;

  const save = form.handleSubmit((values) => {
    setError(null);
    startTransition(async () => {
      const result = await saveScheduleAction(platformId, values);
      if (!result.ok) {
        for (const [field, message] of Object.entries(result.fieldErrors ?? {})) {
          if (field === "timeZone" || field === "catalogueTime" || field === "statisticsTime" || field === "staleAfterHours")
            form.setError(field, { message });
        }
        setError(result.message);
        return;
      }
      form.reset(values);
      toast.success(result.changed ? "Sync schedule saved." : "Nothing changed: this is the current schedule.");
    });
  });

  return (
    <form method="post" onSubmit={save} noValidate className="mt-4 max-w-xl space-y-4" aria-describedby="schedule-outcome">
      <div>
        <label htmlFor="schedule-time-zone" className="block text-sm font-medium text-slate-800">
          Time zone
        </label>
        <select
          id="schedule-time-zone"
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          aria-invalid={errors.timeZone ? true : undefined}
          aria-describedby={errors.timeZone ? "schedule-time-zone-error" : undefined}
          {...form.register("timeZone")}
        >
          <option value="">The platform&apos;s time zone ({platformTimeZone})</option>
          {timeZones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll("_", " ")}
            </option>
          ))}
        </select>
        {errors.timeZone && (
          <p id="schedule-time-zone-error" className="mt-1 text-sm text-red-700">
            {errors.timeZone.message}
          </p>
        )}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Catalogue sync, daily at"
          type="time"
          hint="Blank: the default, between 02:00 and 02:30."
          error={errors.catalogueTime?.message}
          {...form.register("catalogueTime")}
        />
        <TextField
          label="Statistics sync, daily at"
          type="time"
          hint="Blank: the default, between 04:00 and 04:30."
          error={errors.statisticsTime?.message}
          {...form.register("statisticsTime")}
        />
      </div>
      <p className="text-xs text-slate-600" id="schedule-dst-note">
        Times are the local time of the zone above, daylight saving included. On the night the clocks go forward, a time they skip runs at
        the first time that exists (02:30 runs at 03:00); on the night they go back, a time that happens twice runs once, the first time.
      </p>
      <TextField
        label="Alert when no sync has succeeded for (hours)"
        type="number"
        inputMode="numeric"
        min={2}
        max={720}
        className="max-w-xs"
        hint="Admins and customer success are alerted when the catalogue or the statistics have not synced successfully for this long."
        error={errors.staleAfterHours?.message}
        {...form.register("staleAfterHours")}
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save schedule"}
      </Button>
      <div id="schedule-outcome" aria-live="polite">
        {error && (
          <p className="rounded-md bg-red-50 p-3 text-sm text-red-800" role="alert">
            {error}
          </p>
        )}
      </div>
    </form>
  );
}
