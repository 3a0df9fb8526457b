import type { Metadata } from "next";
import { formatNumber } from "@/components/format";
import { requireLearner } from "./_components/require-learner";
import { catalogueFacets, isSearchable, listCatalogue } from "@/lib/learning/catalogue-queries";
import { catalogueHref, parseCatalogueFilters } from "@/lib/learning/schema";
import { CatalogueSearch } from "./_components/catalogue-search";
import { CourseCard } from "./_components/course-card";
import { PageLinks } from "./_components/page-links";

export const metadata: Metadata = { title: "Learning" };

/** The learner's home: their catalogue, searchable and filtered, paged on the server. */
export default async function LearnPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user, platformId } = await requireLearner();
  const filters = parseCatalogueFilters(await searchParams);
  const [catalogue, facets] = await Promise.all([listCatalogue(user.id, platformId, filters), catalogueFacets(user.id, platformId)]);
  const searching = isSearchable(filters.q);
  const filtered = searching || Boolean(filters.type || filters.language || filters.skill || filters.source);

  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <h1 className="text-2xl font-semibold">Welcome, {user.name}</h1>
      <p className="mt-1 text-sm text-slate-600">
        Your catalogue: the courses of your groups, including Coursera courses where your organisation offers them.
      </p>

      <div className="mt-6">
        <CatalogueSearch filters={filters} facets={facets} />
      </div>

      <section aria-labelledby="results-heading" className="mt-6">
        <h2 id="results-heading" className="text-lg font-semibold" aria-live="polite">
          {searching
            ? `${formatNumber(catalogue.total)} ${catalogue.total === 1 ? "course matches" : "courses match"} “${filters.q}”`
            : `${formatNumber(catalogue.total)} ${catalogue.total === 1 ? "course" : "courses"}`}
        </h2>
        {catalogue.total === 0 ? (
          <p className="mt-3 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-700">
            {filtered ? "No course matches. Try other words or fewer filters." : "There are no courses in your catalogue yet."}
          </p>
        ) : (
          <ul className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {catalogue.courses.map((course) => (
              <CourseCard key={course.id} course={course} />
            ))}
          </ul>
        )}
        <div className="mt-6">
          <PageLinks page={catalogue.page} pageCount={catalogue.pageCount} hrefFor={(page) => catalogueHref({ ...filters, page })} />
        </div>
      </section>
    </main>
  );
}
