"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/button";
import { ALERT_KIND_LABELS, type AlertKindName } from "@/lib/alerts/schema";
import { saveAlertPreferencesAction } from "../actions";

type Preference = { kind: AlertKindName; inApp: boolean; email: boolean };

/** One row per kind of alert, a switch for the app and one for email. */
export function AlertPreferencesForm({ initial }: { initial: Preference[] }) {
  const [preferences, setPreferences] = useState(initial);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const set = (kind: AlertKindName, channel: "inApp" | "email", value: boolean) =>
    setPreferences((list) => list.map((p) => (p.kind === kind ? { ...p, [channel]: value } : p)));

  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        setError(null);
        startTransition(async () => {
          const result = await saveAlertPreferencesAction({ preferences });
          if (!result.ok) setError(result.message);
          else toast.success("Your alert choices are saved.");
        });
      }}
    >
      <table className="min-w-full rounded-lg border border-slate-200 bg-white text-sm">
        <caption className="sr-only">Alerts you receive, by kind</caption>
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Kind of alert
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              In the app
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              By email
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {preferences.map((p) => (
            <tr key={p.kind}>
              <th scope="row" className="px-4 py-3 text-left font-normal">
                <span className="block font-medium">{ALERT_KIND_LABELS[p.kind].label}</span>
                <span className="block text-xs text-slate-600">{ALERT_KIND_LABELS[p.kind].description}</span>
              </th>
              {(["inApp", "email"] as const).map((channel) => (
                <td key={channel} className="px-4 py-3">
                  <input
                    type="checkbox"
                    className="h-4 w-4"
                    checked={p[channel]}
                    aria-label={`${ALERT_KIND_LABELS[p.kind].label}: ${channel === "inApp" ? "in the app" : "by email"}`}
                    onChange={(event) => set(p.kind, channel, event.target.checked)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save my choices"}
      </Button>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      )}
    </form>
  );
}
