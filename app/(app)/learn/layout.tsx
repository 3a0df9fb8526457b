import type { ReactNode } from "react";
import { LearnerNav } from "./_components/learner-nav";

export default function LearnLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <LearnerNav />
      {children}
    </>
  );
}
