import type { Metadata } from "next";
import Link from "next/link";
import { requireRole } from "@/lib/auth/session";
import { getAlertPreferences } from "@/lib/alerts/queries";
import { AlertPreferencesForm } from "./_components/alert-preferences-form";

export const metadata: Metadata = { title: "Alert settings" };

export default async function AlertSettingsPage() {
  const user = await requireRole("ADMIN", "CSM");
  const preferences = await getAlertPreferences(user.id);
  return (
    <main className="mx-auto max-w-3xl space-y-6 px-4 py-6">
      <header>
        <h1 className="text-2xl font-semibold">Alert settings</h1>
        <p className="mt-1 text-sm text-slate-600">
          {user.role === "CSM"
            ? "As customer success you receive the alerts of every platform."
            : "As an admin you receive the alerts of your platform."}{" "}
          Each alert comes once when something goes wrong and once when it is resolved. Emails go to {user.email} and never contain
          credentials.{" "}
          <Link href="/notifications" className="text-brand-700 underline">
            Your notifications
          </Link>
        </p>
      </header>
      <AlertPreferencesForm initial={preferences} />
    </main>
  );
}
