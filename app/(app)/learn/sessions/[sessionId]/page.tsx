import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { isRowId } from "@/lib/input/text";
import { Badge } from "@/components/badge";
import { ProgressBar } from "@/components/progress-bar";
import { getLearnerSession, type LearnerStep } from "@/lib/learning/session-queries";
import { CourseraBadge } from "../../_components/coursera-badge";
import { completionLabel, contentTypeLabel, formatMinutes, formatPercent, stepStatusLabel } from "../../_components/labels";
import { LocalDateTime } from "@/components/local-date-time";
import { requireLearner } from "../../_components/require-learner";
import { CourseraAccessNote, StartCourseForm } from "../../_components/start-course-form";

type Props = { params: Promise<{ sessionId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { user, platformId } = await requireLearner();
  const { sessionId } = await params;
  const session = isRowId(sessionId) ? await getLearnerSession(user.id, platformId, sessionId) : null;
  return { title: session?.name ?? "Session" };
}

/** A program session: its steps in order, which are open, and the learner's progress. */
export default async function SessionPage({ params }: Props) {
  const { user, platformId } = await requireLearner();
  const { sessionId } = await params;
  // Not the shape of any id: no such session, without asking the database.
  const session = isRowId(sessionId) ? await getLearnerSession(user.id, platformId, sessionId) : null;
  if (!session) notFound();
  const hasCoursera = session.steps.some((s) => s.source === "COURSERA" && s.available && s.unlocked);

  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      <p className="text-sm">
        <Link href="/learn/sessions" className="text-brand-700 underline">
          ← My sessions
        </Link>
      </p>
      <p className="mt-4 text-sm text-slate-600">{session.programName}</p>
      <h1 className="text-2xl font-semibold">{session.name}</h1>
      {(session.startsAt || session.endsAt) && (
        <p className="mt-1 text-sm text-slate-600">
          <LocalDateTime value={session.startsAt} /> – <LocalDateTime value={session.endsAt} />
        </p>
      )}
      {session.programDescription && <p className="mt-2 text-slate-800">{session.programDescription}</p>}

      <section aria-labelledby="session-progress" className="mt-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="session-progress" className="text-base font-semibold">
          Your progress
        </h2>
        <div className="mt-2 flex items-center gap-3">
          <div className="flex-1">
            <ProgressBar value={session.completedSteps} max={session.totalSteps} label="Session progress" />
          </div>
          <p className="text-sm font-medium" data-testid="session-progress">
            {session.completedSteps} of {session.totalSteps} steps completed ({session.percent}%)
          </p>
        </div>
      </section>

      <section aria-labelledby="steps-heading" className="mt-6">
        <h2 id="steps-heading" className="text-lg font-semibold">
          Steps
        </h2>
        {hasCoursera && (
          <div className="mt-2">
            <CourseraAccessNote />
          </div>
        )}
        <ol className="mt-3 space-y-3">
          {session.steps.map((step, index) => (
            <Step key={step.stepId} step={step} index={index} sessionId={session.id} previous={session.steps[index - 1]} />
          ))}
        </ol>
      </section>
    </main>
  );
}

function Step({ step, index, sessionId, previous }: { step: LearnerStep; index: number; sessionId: string; previous?: LearnerStep }) {
  const status = stepStatusLabel[step.status];
  const coursera = step.source === "COURSERA";
  const open = step.unlocked && step.available;
  const lockedReason = !previous
    ? ""
    : previous.source === "COURSERA"
      ? `Unlocks once you start step ${index}, “${previous.title}”.`
      : `Unlocks once you complete step ${index}, “${previous.title}”.`;
  return (
    <li
      className={`rounded-lg border p-4 ${open ? "border-slate-200 bg-white shadow-sm" : "border-dashed border-slate-300 bg-slate-50"}`}
      data-testid="session-step"
      aria-label={`Step ${index + 1}: ${step.title}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-sm font-medium text-slate-600">Step {index + 1}</span>
        {coursera ? <CourseraBadge /> : <Badge>Platform course</Badge>}
        <Badge tone={status.tone}>{status.label}</Badge>
        {!step.unlocked && (
          <Badge tone="warning">
            <span aria-hidden="true">🔒&nbsp;</span>Locked
          </Badge>
        )}
      </div>
      <h3 className="mt-2 text-base font-semibold">
        {open ? (
          <Link
            href={`/learn/courses/${step.courseId}?session=${encodeURIComponent(sessionId)}`}
            className="text-brand-800 underline-offset-2 hover:underline"
          >
            {step.title}
          </Link>
        ) : (
          step.title
        )}
      </h3>
      <p className="text-sm text-slate-600">
        {[
          contentTypeLabel[step.contentType],
          step.durationMinutes ? formatMinutes(step.durationMinutes) : null,
          step.partners.map((p) => p.name).join(", ") || null,
        ]
          .filter(Boolean)
          .join(" · ")}
      </p>

      {!step.unlocked && <p className="mt-2 text-sm text-slate-700">{lockedReason}</p>}
      {step.unlocked && !step.available && (
        <p className="mt-2 text-sm text-slate-700">This course is not available to you. Ask your platform administrator.</p>
      )}

      {coursera && step.stat && (
        <p className="mt-2 text-sm text-slate-700" data-testid="step-coursera-progress">
          On Coursera: {completionLabel[step.stat.status].label}, {formatPercent(step.stat.progressPercent)}
          {step.stat.lastActivityAt && (
            <>
              {" "}
              · last activity <LocalDateTime value={step.stat.lastActivityAt} />
            </>
          )}
        </p>
      )}
      {coursera && !step.stat && step.status === "STARTED" && (
        <p className="mt-2 text-sm text-slate-700">
          You started this course. Coursera&apos;s progress appears here after the next daily update.
        </p>
      )}
      {coursera && open && step.hasLaunchUrl && step.status !== "COMPLETED" && (
        <div className="mt-3">
          <StartCourseForm
            courseId={step.courseId}
            sessionId={sessionId}
            courseTitle={step.title}
            started={step.status !== "NOT_STARTED"}
          />
        </div>
      )}
    </li>
  );
}
