import { PageSkeleton } from "@/components/page-skeleton";

export default function PlatformsLoading() {
  return <PageSkeleton className="mx-auto max-w-7xl space-y-6 px-4 py-8" />;
}
