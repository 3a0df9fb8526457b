import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePlatformAccess } from "@/lib/auth/session";
import { isRowId } from "@/lib/input/text";
import { getAdminCourse } from "@/lib/catalogue/queries";
import { Badge } from "@/components/badge";
import { CourseImage } from "@/components/course-image";
import { formatContentType, formatDateTime, formatLanguage, formatLevel, formatMinutes, formatNumber } from "@/components/format";
import { RichDescription } from "@/components/rich-description";
import { SkillsEditor } from "../_components/skills-editor";

export const metadata: Metadata = { title: "Course" };

const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 10) / 10}%`);

export default async function CoursePage({ params }: { params: Promise<{ platformId: string; courseId: string }> }) {
  const { platformId, courseId } = await params;
  await requirePlatformAccess(platformId);
  if (!isRowId(courseId)) notFound();
  const course = await getAdminCourse(platformId, courseId);
  if (!course) notFound();
  const coursera = course.source === "COURSERA";
  const subtitles = course.subtitleLanguages.filter((l) => l !== course.language);

  return (
    <main className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href={`/p/${platformId}/courses`} className="text-brand-700 underline">
          Courses
        </Link>
      </nav>

      <section aria-labelledby="course-title" className="rounded-lg border border-slate-200 bg-white p-5">
        <div className="flex flex-wrap items-start gap-4">
          <CourseImage key={course.imageUrl ?? ""} src={course.imageUrl} className="h-24 w-48 shrink-0 rounded" />
          <div className="min-w-0 flex-1">
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone="info">{formatContentType(course.contentType)}</Badge>
              {course.retiredAt ? (
                <Badge tone="warning">Retired {formatDateTime(course.retiredAt)}</Badge>
              ) : (
                <Badge tone="success">Active</Badge>
              )}
            </div>
            <h1 id="course-title" className="mt-2 text-2xl font-semibold">
              {course.title}
            </h1>
            {coursera && <LockedNote what="title" />}
          </div>
        </div>

        <section aria-labelledby="course-description-heading" className="mt-5">
          <h2 id="course-description-heading" className="text-sm font-medium text-slate-800">
            Description
          </h2>
          {coursera && <LockedNote what="description" />}
          <div className="mt-2 max-w-prose rounded-md border border-slate-200 bg-slate-50 p-3 text-sm" data-testid="course-description">
            <RichDescription description={course.description} />
          </div>
        </section>

        <dl className="mt-5 grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-3">
          <div>
            <dt className="text-slate-600">Coursera id</dt>
            <dd className="font-mono text-xs">{course.courseraContentId ?? "—"}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Language</dt>
            <dd>
              {formatLanguage(course.language)}
              {subtitles.length > 0 && ` (subtitles: ${subtitles.map(formatLanguage).join(", ")})`}
            </dd>
          </div>
          <div>
            <dt className="text-slate-600">Level</dt>
            <dd>{formatLevel(course.level)}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Duration</dt>
            <dd>{formatMinutes(course.durationMinutes)}</dd>
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

/**
 * Coursera's title and description are shown as text, not as disabled fields:
 * nothing here can be edited, and saying why is clearer than a greyed-out box.
 */
function LockedNote({ what }: { what: "title" | "description" }) {
  return (
    <p className="mt-1 flex items-center gap-1.5 text-xs text-slate-600" data-testid={`locked-${what}`}>
      <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="h-3.5 w-3.5 shrink-0">
        <path
          fillRule="evenodd"
          d="M10 1a4.5 4.5 0 0 0-4.5 4.5V9H5a2 2 0 0 0-2 2v6a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-6a2 2 0 0 0-2-2h-.5V5.5A4.5 4.5 0 0 0 10 1Zm3 8V5.5a3 3 0 1 0-6 0V9h6Z"
          clipRule="evenodd"
        />
      </svg>
      <span>Coursera&rsquo;s {what}, kept in sync; cannot be edited.</span>
    </p>
  );
}
