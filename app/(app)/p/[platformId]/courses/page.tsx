import type { Metadata } from "next";
import { requirePlatformAccess } from "@/lib/auth/session";
import { getCourseFacets, listAdminCourses, parseCourseListParams } from "@/lib/catalogue/queries";
import { listSkills } from "@/lib/skills/queries";
import { CourseFilters } from "./_components/course-filters";
import { CoursesTable } from "./_components/courses-table";

export const metadata: Metadata = { title: "Courses" };

export default async function CoursesPage({
  params,
  searchParams,
}: {
  params: Promise<{ platformId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { platformId } = await params;
  await requirePlatformAccess(platformId);
  const query = parseCourseListParams(await searchParams);
  const [list, facets, skills] = await Promise.all([
    listAdminCourses(platformId, query),
    getCourseFacets(platformId),
    listSkills(platformId),
  ]);

  return (
    <main className="space-y-4">
      <header>
        <h1 className="text-2xl font-semibold">Courses</h1>
        <p className="mt-1 text-sm text-slate-600">
          Every Coursera course of the platform. Titles and descriptions come from Coursera; skills are yours.
        </p>
      </header>
      <CourseFilters facets={facets} skills={skills} />
      <CoursesTable
        platformId={platformId}
        rows={list.rows.map((r) => ({
          id: r.id,
          title: r.title,
          contentType: r.contentType,
          language: r.language,
          level: r.level,
          retired: r.retiredAt !== null,
          skills: r.skills,
        }))}
        total={list.total}
        totalIsLowerBound={list.totalIsLowerBound}
        page={list.page}
        pageSize={list.pageSize}
        sort={query.sort}
        dir={query.dir}
      />
    </main>
  );
}
