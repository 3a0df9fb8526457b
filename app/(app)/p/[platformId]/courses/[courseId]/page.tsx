import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePlatformAccess } from "@/lib/auth/session";
import { isRowId } from "@/lib/input/text";
import { getAdminCourse } from "@/lib/catalogue/queries";
import { Badge } from "@/components/badge";
import { formatDateTime, formatNumber } from "@/components/format";
import { SkillsEditor } from "../_components/skills-editor";
import { TYPE_LABEL } from "../_components/course-filters";

export const metadata: Metadata = { title: "Course" };

const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 10) / 10}%`);

export default async function CoursePage({ params }: { params: Promise<{ platformId: string; courseId: string }> }) {
  const { platformId, courseId } = await params;
  await requirePlatformAccess(platformId);
  if (!isRowId(courseId)) notFound();
  const course = await getAdminCourse(platformId, courseId);
  if (!course) notFound();
  const coursera = course.source === "COURSERA";

  return (
    <main className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href={`/p/${platformId}/courses`} className="text-brand-700 underline">
          Courses
        </Link>
      </nav>

      <section aria-labelledby="course-title" className="rounded-lg border border-slate-200 bg-white p-5">
        <div className="flex flex-wrap items-start gap-4">
          {course.imageUrl && (
            // eslint-disable-next-line @next/next/no-img-element -- Coursera's image host is not known to next/image
            <img src={course.imageUrl} alt="" className="h-24 w-48 rounded object-cover" />
          )}
          <div className="min-w-0 flex-1">
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone="info">{TYPE_LABEL[course.contentType] ?? course.contentType}</Badge>
              {course.retiredAt ? (
                <Badge tone="warning">Retired {formatDateTime(course.retiredAt)}</Badge>
              ) : (
                <Badge tone="success">Active</Badge>
              )}
            </div>
            <h1 id="course-title" className="mt-2 text-2xl font-semibold">
              {course.title}
            </h1>
          </div>
        </div>

        {coursera && (
          <p className="mt-4 flex items-start gap-2 rounded-md bg-slate-100 p-3 text-sm text-slate-700" data-testid="locked-notice">
            <span aria-hidden="true">🔒</span>
            <span>
              <strong>Title and description are locked.</strong> They come from Coursera and are refreshed by every catalogue sync, so edits
              here would be overwritten. Attach skills below to make the course yours.
            </span>
          </p>
        )}

        <div className="mt-4 space-y-4 text-sm">
          <div>
            <label htmlFor="course-title-field" className="block font-medium text-slate-800">
              Title {coursera && <span className="font-normal text-slate-600">(locked, from Coursera)</span>}
            </label>
            <input
              id="course-title-field"
              readOnly
              aria-readonly="true"
              disabled={coursera}
              value={course.title}
              className="mt-1 block w-full rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-slate-800"
            />
          </div>
          <div>
            <label htmlFor="course-description-field" className="block font-medium text-slate-800">
              Description {coursera && <span className="font-normal text-slate-600">(locked, from Coursera)</span>}
            </label>
            <textarea
              id="course-description-field"
              readOnly
              aria-readonly="true"
              disabled={coursera}
              value={course.description}
              rows={6}
              className="mt-1 block w-full rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-slate-800"
            />
          </div>
        </div>

        <dl className="mt-5 grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-3">
          <div>
            <dt className="text-slate-600">Coursera id</dt>
            <dd className="font-mono text-xs">{course.courseraContentId ?? "—"}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Language</dt>
            <dd>
              {course.language ?? "—"}
              {course.subtitleLanguages.length > 0 && ` (subtitles: ${course.subtitleLanguages.join(", ")})`}
            </dd>
          </div>
          <div>
            <dt className="text-slate-600">Level</dt>
            <dd>{course.level ?? "—"}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Duration</dt>
            <dd>{course.durationMinutes ? `${Math.round(course.durationMinutes / 6) / 10} h` : "—"}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Partners</dt>
            <dd>{course.partners.map((p) => p.name).join(", ") || "—"}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Instructors</dt>
            <dd>{course.instructors.map((i) => i.name).join(", ") || "—"}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Updated on Coursera</dt>
            <dd>{formatDateTime(course.courseraUpdatedAt)}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Last changed by a sync</dt>
            <dd>{formatDateTime(course.updatedAt)}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Launch link</dt>
            <dd>
              {course.launchUrl ? (
                <a href={course.launchUrl} target="_blank" rel="noopener noreferrer" className="break-all text-brand-700 underline">
                  Open on Coursera<span className="sr-only"> (opens in a new tab)</span>
                </a>
              ) : (
                "—"
              )}
            </dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="skills-heading" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="skills-heading" className="mb-3 text-lg font-medium">
          Skills
        </h2>
        <SkillsEditor
          platformId={platformId}
          courseId={course.id}
          skills={course.skills.map((s) => ({ id: s.id, name: s.name }))}
          suggestions={course.skillSuggestions}
        />
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="visibility-heading" className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 id="visibility-heading" className="text-lg font-medium">
            Where it is visible
          </h2>
          {course.visibleIn.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">
              {course.retiredAt
                ? "Retired courses are visible nowhere."
                : "Nowhere: the connector is disabled or has no synchronized group."}
            </p>
          ) : (
            <ul className="mt-2 list-inside list-disc text-sm">
              {course.visibleIn.map((g) => (
                <li key={g.id}>{g.name}</li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="course-stats-heading" className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 id="course-stats-heading" className="text-lg font-medium">
            Statistics
          </h2>
          <dl className="mt-2 grid grid-cols-2 gap-3 text-sm">
            <div>
              <dt className="text-slate-600">Learners</dt>
              <dd className="text-lg font-semibold tabular-nums">{formatNumber(course.stats.learners)}</dd>
            </div>
            <div>
              <dt className="text-slate-600">Completion rate</dt>
              <dd className="text-lg font-semibold tabular-nums">
                {course.stats.completionRate === null ? "—" : pct(course.stats.completionRate * 100)}
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">Completed · in progress · not started</dt>
              <dd className="tabular-nums">
                {formatNumber(course.stats.completed)} · {formatNumber(course.stats.inProgress)} · {formatNumber(course.stats.notStarted)}
              </dd>
            </div>
            <div>
              <dt className="text-slate-600">Average progress · score</dt>
              <dd className="tabular-nums">
                {pct(course.stats.averageProgress)} · {pct(course.stats.averageScore)}
              </dd>
            </div>
          </dl>
          {course.stats.learners > 0 && (
            <Link href={`/p/${platformId}/statistics?course=${course.id}`} className="mt-3 inline-block text-sm text-brand-700 underline">
              Learner statistics for this course
            </Link>
          )}
        </section>
      </div>
    </main>
  );
}
