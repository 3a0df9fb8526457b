import "server-only";
import { env } from "@/lib/env";
import { inngest } from "@/inngest/client";
import type { AppEvent } from "@/inngest/events";
import { functions } from "@/inngest/functions";
import { InProcessRunner } from "@/inngest/runner";

/**
 * The one way the product sends events: to the Inngest server when one is
 * configured, else to the in-process runner (which the Next.js server starts
 * in instrumentation.ts).
 */
const globalForRunner = globalThis as unknown as { courseraRunner?: InProcessRunner };

export function getRunner(): InProcessRunner {
  globalForRunner.courseraRunner ??= new InProcessRunner(functions);
  return globalForRunner.courseraRunner;
}

export async function sendEvent(event: AppEvent | AppEvent[]): Promise<void> {
  if (env().inngestMode === "server") {
    await inngest.send([event].flat());
    return;
  }
  await getRunner().send(event);
}
