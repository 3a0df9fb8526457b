import { PageSkeleton } from "@/components/page-skeleton";

/** An admin page loading: the platform's navigation stays, the page's place shows its shape. */
export default function PlatformPageLoading() {
  return <PageSkeleton />;
}
