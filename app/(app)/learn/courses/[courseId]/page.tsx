import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { isRowId } from "@/lib/input/text";
import { Badge } from "@/components/badge";
import { CourseImage } from "@/components/course-image";
import { RichDescription } from "@/components/rich-description";
import { descriptionPlainText } from "@/lib/catalogue/description-html";
import { ProgressBar } from "@/components/progress-bar";
import { getLearnerCourse, type LearnerCourse } from "@/lib/learning/course-queries";
import { CourseraBadge } from "../../_components/coursera-badge";
import { completionLabel, contentTypeLabel, formatMinutes, formatPercent, languageLabel, levelLabel } from "../../_components/labels";
import { LocalDateTime } from "@/components/local-date-time";
import { requireLearner } from "../../_components/require-learner";
import { CourseraAccessNote, StartCourseForm } from "../../_components/start-course-form";

type Props = { params: Promise<{ courseId: string }>; searchParams: Promise<{ session?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { user, platformId } = await requireLearner();
  const { courseId } = await params;
  const course = isRowId(courseId) ? await getLearnerCourse(user.id, platformId, courseId) : null;
  // A meta description is text: Coursera's HTML reduced to its words.
  return { title: course?.title ?? "Course", description: course ? descriptionPlainText(course.description, 160) || undefined : undefined };
}

/** A course's presentation page: what it is, the learner's own Coursera numbers, and START. */
export default async function CoursePage({ params, searchParams }: Props) {
  const { user, platformId } = await requireLearner();
  const { courseId } = await params;
  // Not the shape of any id: no such course, without asking the database.
  if (!isRowId(courseId)) notFound();
  const course = await getLearnerCourse(user.id, platformId, courseId);
  if (!course) notFound();
  const session = (await searchParams).session;
  const sessionId = isRowId(session) ? session : undefined;
  const coursera = course.source === "COURSERA";

  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <p className="text-sm">
        {sessionId ? (
          <Link href={`/learn/sessions/${encodeURIComponent(sessionId)}`} className="text-brand-700 underline">
            ← Back to the session
          </Link>
        ) : (
          <Link href="/learn" className="text-brand-700 underline">
            ← Catalogue
          </Link>
        )}
      </p>
      <div className="mt-4 flex flex-col gap-4 sm:flex-row sm:items-start">
        <CourseImage key={course.imageUrl ?? ""} src={course.imageUrl} className="aspect-video w-full shrink-0 rounded-lg sm:w-56" />
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            {coursera ? <CourseraBadge /> : <Badge>Platform course</Badge>}
            <Badge>{contentTypeLabel[course.contentType]}</Badge>
          </div>
          <h1 className="mt-2 text-2xl font-semibold sm:text-3xl">{course.title}</h1>
          {course.partners.length > 0 && <p className="mt-1 text-slate-700">Offered by {course.partners.map((p) => p.name).join(", ")}</p>}
        </div>
      </div>

      <div className="mt-6 grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="order-2 space-y-6 lg:order-1 lg:col-span-2">
          <section aria-labelledby="about-heading">
            <h2 id="about-heading" className="text-lg font-semibold">
              About this course
            </h2>
            <RichDescription description={course.description} className="mt-2" testId="course-description" />
          </section>
          <Facts course={course} />
          <section aria-labelledby="skills-heading">
            <h2 id="skills-heading" className="text-lg font-semibold">
              Skills
            </h2>
            {course.skills.length > 0 ? (
              <ul className="mt-2 flex flex-wrap gap-2">
                {course.skills.map((s) => (
                  <li key={s.id} className="rounded-full bg-slate-100 px-3 py-1 text-sm text-slate-800">
                    {s.name}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mt-2 text-sm text-slate-600">No skills attached yet.</p>
            )}
          </section>
          {course.instructors.length > 0 && (
            <section aria-labelledby="instructors-heading">
              <h2 id="instructors-heading" className="text-lg font-semibold">
                Instructors
              </h2>
              <ul className="mt-2 space-y-1 text-sm">
                {course.instructors.map((i) => (
                  <li key={`${i.name}-${i.title ?? ""}`}>
                    <span className="font-medium">{i.name}</span>
                    {i.title ? <span className="text-slate-600"> · {i.title}</span> : null}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>

        <aside className="order-1 space-y-4 lg:order-2" aria-label="Start and progress">
          {coursera && (
            <section aria-labelledby="start-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
              <h2 id="start-heading" className="text-lg font-semibold">
                Take this course
              </h2>
              {course.hasLaunchUrl ? (
                <>
                  <StartCourseForm
                    courseId={course.id}
                    sessionId={sessionId}
                    courseTitle={course.title}
                    started={course.lastLaunchedAt !== null || (course.stat !== null && course.stat.status !== "NOT_STARTED")}
                  />
                  <CourseraAccessNote />
                </>
              ) : (
                <p className="text-sm text-slate-700">
                  Coursera has not published a launch link for this course yet. Try again after the next catalogue update.
                </p>
              )}
              {course.lastLaunchedAt && (
                <p className="text-sm text-slate-700" data-testid="last-launch">
                  You last opened it on Coursera on <LocalDateTime value={course.lastLaunchedAt} />.
                </p>
              )}
            </section>
          )}
          {coursera && <MyProgress stat={course.stat} />}
        </aside>
      </div>
    </main>
  );
}

function Facts({ course }: { course: LearnerCourse }) {
  const facts: [string, string][] = [
    ["Duration", formatMinutes(course.durationMinutes)],
    ["Level", levelLabel(course.level)],
    ["Language", languageLabel(course.language)],
  ];
  const subtitles = course.subtitleLanguages.filter((l) => l !== course.language);
  if (subtitles.length > 0) facts.push(["Subtitles", subtitles.map(languageLabel).join(", ")]);
  facts.push(["Type", contentTypeLabel[course.contentType]]);
  return (
    <section aria-labelledby="facts-heading">
      <h2 id="facts-heading" className="sr-only">
        At a glance
      </h2>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-4">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-slate-600">{label}</dt>
            <dd className="font-medium text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The learner's own numbers, as Coursera last reported them. */
function MyProgress({ stat }: { stat: LearnerCourse["stat"] }) {
  return (
    <section
      aria-labelledby="progress-heading"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      data-testid="my-progress"
    >
      <h2 id="progress-heading" className="text-lg font-semibold">
        Your progress on Coursera
      </h2>
      {stat ? (
        <>
          <p>
            <Badge tone={completionLabel[stat.status].tone}>{completionLabel[stat.status].label}</Badge>
          </p>
          <ProgressBar value={Math.round(stat.progressPercent)} max={100} label="Progress on Coursera" />
          <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm">
            <dt className="text-slate-600">Progress</dt>
            <dd className="font-medium" data-testid="stat-progress">
              {formatPercent(stat.progressPercent)}
            </dd>
            <dt className="text-slate-600">Score</dt>
            <dd className="font-medium" data-testid="stat-score">
              {formatPercent(stat.scorePercent)}
            </dd>
            <dt className="text-slate-600">Time spent</dt>
            <dd className="font-medium" data-testid="stat-time">
              {formatMinutes(stat.timeSpentMinutes)}
            </dd>
            <dt className="text-slate-600">Last activity</dt>
            <dd className="font-medium" data-testid="stat-last-activity">
              <LocalDateTime value={stat.lastActivityAt} />
            </dd>
            {stat.completedAt && (
              <>
                <dt className="text-slate-600">Completed</dt>
                <dd className="font-medium">
                  <LocalDateTime value={stat.completedAt} />
                </dd>
              </>
            )}
          </dl>
          {stat.reportedAt && (
            <p className="text-xs text-slate-600">
              As reported by Coursera on <LocalDateTime value={stat.reportedAt} />. Updated daily.
            </p>
          )}
        </>
      ) : (
        <p className="text-sm text-slate-700">
          No numbers from Coursera yet. They appear here after the daily update that follows your first visit to the course on Coursera.
        </p>
      )}
    </section>
  );
}
