import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { requireLearner } from "./_components/require-learner";
import { catalogueFacets, listCatalogue, resolveSearch, type BoundedCount } from "@/lib/learning/catalogue-queries";
import { courseraOfferFor } from "@/lib/learning/coursera-offer";
import { catalogueHref, NARROWING_FILTERS, parseCatalogueFilters, type CatalogueFilters } from "@/lib/learning/schema";
import { CatalogueSearch, formatBoundedCount } from "./_components/catalogue-search";
import { CourseCard } from "./_components/course-card";
import { PageLinks } from "./_components/page-links";

export const metadata: Metadata = { title: "Learning" };

/**
 * The learner's home: their catalogue, searchable and filtered, paged on the
 * server. The courses render first; the count and the filters' counts stream in
 * after them (they are separate, bounded queries).
 */
export default async function LearnPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user, platformId } = await requireLearner();
  const filters = parseCatalogueFilters(await searchParams);
  const search = await resolveSearch(platformId, filters.q);
  // One pass gives the count and the filters' counts; both stream in after the courses.
  const facets = catalogueFacets(user.id, platformId, filters, search);
  const count = facets.then((f) => f.total);
  const [catalogue, offer] = await Promise.all([
    listCatalogue(user.id, platformId, filters, search),
    courseraOfferFor(user.id, platformId),
  ]);
  const filtered = Boolean(search || NARROWING_FILTERS.some((key) => filters[key]));
  // Text with no word in it ("?!", "<b>") searches nothing, as search engines treat it: the catalogue, saying so.
  const searched = search ? filters.q : undefined;
  const mixedSources = new Set(catalogue.courses.map((course) => course.source)).size > 1;

  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <h1 className="text-2xl font-semibold">Welcome, {user.name}</h1>
      <p className="mt-1 text-sm text-slate-600">
        Your catalogue: the courses of your groups, including Coursera courses where your organisation offers them.
      </p>
      {offer.kind === "not-in-receiving-group" && (
        <p className="mt-3 rounded-lg border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700" role="note">
          Your organisation offers Coursera courses to the members of {offer.groupName} and its public subgroups. You are not in those
          groups, so no Coursera course is shown to you; ask your administrator if you need them.
        </p>
      )}

      <div className="mt-6">
        <CatalogueSearch filters={filters} facets={facets} />
      </div>

      <section aria-labelledby="results-heading" className="mt-6">
        <h2 id="results-heading" className="text-lg font-semibold" aria-live="polite">
          {catalogue.courses.length === 0 && catalogue.page === 1 ? (
            searched ? (
              `0 courses match “${searched}”`
            ) : (
              "0 courses"
            )
          ) : (
            <Suspense fallback={searched ? `Courses matching “${searched}”` : "Courses"}>
              <CountHeading count={count} q={searched} corrected={Boolean(catalogue.didYouMean)} />
            </Suspense>
          )}
        </h2>
        {filters.q && !search && (
          <p className="mt-2 text-sm text-slate-700">“{filters.q}” holds no word to search for, so every course is shown.</p>
        )}
        {catalogue.didYouMean && (
          <p className="mt-2 text-sm text-slate-700">
            Nothing matches “{filters.q}” exactly; showing close matches. Did you mean{" "}
            <Link href={catalogueHref({ ...filters, q: catalogue.didYouMean, page: 1 })} className="font-medium text-brand-700 underline">
              {catalogue.didYouMean}
            </Link>
            ?
          </p>
        )}
        {catalogue.courses.length === 0 ? (
          <p className="mt-3 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-700">
            {filtered ? "No course matches. Try other words or fewer filters." : "There are no courses in your catalogue yet."}
          </p>
        ) : (
          <ul className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {catalogue.courses.map((course) => (
              <CourseCard key={course.id} course={course} showSource={mixedSources} />
            ))}
          </ul>
        )}
        <div className="mt-6">
          <PageLinks
            page={catalogue.page}
            hasNextPage={catalogue.hasNextPage}
            hrefFor={(page) => catalogueHref({ ...filters, page } satisfies CatalogueFilters)}
          />
        </div>
      </section>
    </main>
  );
}

async function CountHeading({
  count: pending,
  q,
  corrected,
}: {
  count: Promise<BoundedCount>;
  q: string | undefined;
  /** Only the corrections of the words found something: they are close matches, not matches. */
  corrected: boolean;
}) {
  const count = await pending;
  const one = count.count === 1 && !count.more;
  const number = formatBoundedCount(count);
  if (q && corrected) return `${number} close ${one ? "match" : "matches"} for “${q}”`;
  return q ? `${number} ${one ? "course matches" : "courses match"} “${q}”` : `${number} ${one ? "course" : "courses"}`;
}
