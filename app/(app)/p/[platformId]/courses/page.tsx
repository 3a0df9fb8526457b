import type { Metadata } from "next";
import { requirePlatformAccess } from "@/lib/auth/session";
import { courseTableQuery } from "@/lib/catalogue/admin-table";
import { getCourseFacets, listAdminCoursesTable, parseCourseListParams } from "@/lib/catalogue/queries";
import { listSkills } from "@/lib/skills/queries";
import { CourseFilters } from "./_components/course-filters";
import { CoursesTable, CoursesTableScope } from "./_components/courses-table";

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
  const search = await searchParams;
  const query = parseCourseListParams(search);
  const [firstPage, facets, skills] = await Promise.all([
    listAdminCoursesTable(platformId, query),
    getCourseFacets(platformId),
    listSkills(platformId),
  ]);
  const firstQuery = courseTableQuery(search);

  return (
    <main className="space-y-4">
      <header>
        <h1 className="text-2xl font-semibold">Courses</h1>
        <p className="mt-1 text-sm text-slate-600">
          Every Coursera course of the platform. Titles and descriptions come from Coursera; skills are yours.
        </p>
      </header>
      {/* The first page is rendered here; searches, filters, sorting and paging then fetch JSON (the table's route handler). */}
      <CoursesTableScope platformId={platformId}>
        <CourseFilters facets={facets} skills={skills} />
        <CoursesTable platformId={platformId} first={{ query: firstQuery, page: firstPage }} />
      </CoursesTableScope>
    </main>
  );
}
