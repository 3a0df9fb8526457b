import type { Metadata } from "next";
import Link from "next/link";
import { ProgressBar } from "@/components/progress-bar";
import { listLearnerSessions } from "@/lib/learning/session-queries";
import { LocalDateTime } from "@/components/local-date-time";
import { requireLearner } from "../_components/require-learner";

export const metadata: Metadata = { title: "My sessions" };

/** The program sessions the learner is enrolled in. */
export default async function SessionsPage() {
  const { user, platformId } = await requireLearner();
  const sessions = await listLearnerSessions(user.id, platformId);
  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <h1 className="text-2xl font-semibold">My sessions</h1>
      <p className="mt-1 text-sm text-slate-600">The programs you are enrolled in, step by step.</p>
      {sessions.length === 0 ? (
        <p className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-700">
          You are not enrolled in any session yet.
        </p>
      ) : (
        <ul className="mt-6 space-y-3">
          {sessions.map((s) => (
            <li
              key={s.id}
              className="relative rounded-lg border border-slate-200 bg-white p-4 shadow-sm focus-within:ring-2 focus-within:ring-brand-600 hover:border-brand-600"
            >
              <p className="text-sm text-slate-600">{s.programName}</p>
              <h2 className="text-lg font-semibold">
                <Link href={`/learn/sessions/${s.id}`} className="after:absolute after:inset-0 after:content-[''] focus:outline-none">
                  {s.name}
                </Link>
              </h2>
              {(s.startsAt || s.endsAt) && (
                <p className="text-sm text-slate-600">
                  <LocalDateTime value={s.startsAt} /> – <LocalDateTime value={s.endsAt} />
                </p>
              )}
              <div className="mt-3 flex items-center gap-3">
                <div className="flex-1">
                  <ProgressBar value={s.completedSteps} max={s.totalSteps} label={`Progress in ${s.name}`} />
                </div>
                <p className="text-sm text-slate-700">
                  {s.completedSteps} of {s.totalSteps} steps completed
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
