import Link from "next/link";
import { Badge } from "@/components/badge";
import { CourseImage } from "@/components/course-image";
import type { CatalogueCourse } from "@/lib/learning/catalogue-queries";
import { CourseraBadge } from "./coursera-badge";
import { completionLabel, contentTypeLabel, formatMinutes, formatPercent, languageLabel, levelLabel } from "./labels";

/**
 * One course in the catalogue: the title is the link, the rest describes it.
 * The source badge is shown only when the page mixes sources: on a page of
 * Coursera courses alone it would say the same thing on every card.
 */
export function CourseCard({ course, showSource }: { course: CatalogueCourse; showSource: boolean }) {
  const partner = course.source === "COURSERA" ? course.partners[0]?.name : undefined;
  // Not started says nothing a learner needs on a card.
  const status = course.status && course.status !== "NOT_STARTED" ? completionLabel[course.status] : null;
  const facts = [
    contentTypeLabel[course.contentType],
    course.language ? languageLabel(course.language) : null,
    course.durationMinutes ? formatMinutes(course.durationMinutes) : null,
    course.level ? levelLabel(course.level) : null,
  ].filter(Boolean);
  return (
    <li className="relative flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm focus-within:ring-2 focus-within:ring-brand-600 hover:border-brand-600">
      <CourseImage
        key={course.imageUrl ?? ""}
        src={course.imageUrl}
        className="-mx-4 -mt-4 mb-1 aspect-[2/1] w-[calc(100%+2rem)] max-w-none rounded-t-lg"
      />
      {(showSource || status) && (
        <div className="flex flex-wrap items-center gap-2">
          {showSource && (course.source === "COURSERA" ? <CourseraBadge /> : <Badge>Platform course</Badge>)}
          {status && (
            <Badge tone={status.tone}>
              {status.label}
              {course.status === "IN_PROGRESS" ? ` · ${formatPercent(course.progressPercent)}` : ""}
            </Badge>
          )}
        </div>
      )}
      <h3 className="text-base font-semibold leading-snug">
        {/* The whole card is clickable through this link's stretched hit area. */}
        <Link href={`/learn/courses/${course.id}`} className="after:absolute after:inset-0 after:content-[''] focus:outline-none">
          {course.title}
        </Link>
      </h3>
      {partner && <p className="text-sm text-slate-700">{partner}</p>}
      <p className="mt-auto text-xs text-slate-600">{facts.join(" · ")}</p>
    </li>
  );
}
