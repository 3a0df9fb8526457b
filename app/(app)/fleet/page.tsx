import type { Metadata } from "next";
import { Suspense } from "react";
import { requireRole } from "@/lib/auth/session";
import { FleetTable, FleetTableSkeleton } from "./_components/fleet-table";

export const metadata: Metadata = { title: "Fleet health" };

/** Customer success's view of every customer's connector: what is in trouble, since when, and what waits for someone. */
export default async function FleetPage() {
  await requireRole("CSM");
  return (
    <main className="mx-auto max-w-7xl px-4 py-8">
      <h1 className="text-2xl font-semibold">Fleet health</h1>
      <p className="mt-1 text-sm text-slate-600">
        Every platform&apos;s Coursera connector: failing syncs, stale data and what waits for a person, worst first.
      </p>
      <div className="mt-6">
        <Suspense fallback={<FleetTableSkeleton />}>
          <FleetTable />
        </Suspense>
      </div>
    </main>
  );
}
