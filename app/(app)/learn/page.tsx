import type { Metadata } from "next";
import { requireRole } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Learning" };

export default async function LearnPage() {
  const user = await requireRole("LEARNER");
  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <h1 className="text-2xl font-semibold">Welcome, {user.name}</h1>
      <p className="mt-1 text-sm text-slate-600">Your catalogue and program sessions.</p>
    </main>
  );
}
