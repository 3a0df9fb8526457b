import { PageSkeleton } from "@/components/page-skeleton";

/** A learner page loading: the learner navigation stays, the page's place shows its shape. */
export default function LearnPageLoading() {
  return <PageSkeleton className="mx-auto max-w-5xl space-y-6 px-4 py-8" blocks={2} />;
}
