import type { ReactNode } from "react";
import { LearnerNav } from "./_components/learner-nav";
import { requireLearner } from "./_components/require-learner";

/**
 * The learner's pages. The learner gate runs here as well as in each page:
 * here it is above the pages' loading skeleton (loading.tsx), so someone who
 * is not a learner gets a real 403 before anything streams.
 */
export default async function LearnLayout({ children }: { children: ReactNode }) {
  await requireLearner();
  return (
    <>
      <LearnerNav />
      {children}
    </>
  );
}
