import "server-only";
import { Inngest } from "inngest";
import { env } from "@/lib/env";

/**
 * The Inngest client. With an Inngest server configured (INNGEST_EVENT_KEY, or
 * INNGEST_DEV=1 for `npx inngest-cli dev`) events go there and Inngest calls
 * app/api/inngest; otherwise inngest/send.ts hands them to the in-process runner.
 */
export const inngest = new Inngest({
  id: "coursera-connector",
  isDev: env().INNGEST_DEV === "1",
});
