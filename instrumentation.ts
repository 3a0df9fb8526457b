/**
 * Next.js calls register() once when a server process starts. Without an
 * Inngest server, this is where the in-process runner starts working queued
 * runs (resuming any interrupted by a restart) and firing the daily schedules.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  if (env().inngestMode !== "in-process" || env().NEXT_PHASE === "phase-production-build") return;
  const { getRunner } = await import("@/inngest/send");
  await getRunner().start({ schedules: env().RUNNER_SCHEDULES === "1" });
}
