import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { env } from "@/lib/env";

/**
 * The endpoint an Inngest server calls to run our functions over HTTP, for
 * deployments that choose serverless-style invocation (INNGEST_SERVE_HTTP=1).
 * By default the web tier never runs a step: workers (`npm run worker`) run
 * them, connected to Inngest or on the embedded runner, and this answers 404.
 * Inngest signs its requests (INNGEST_SIGNING_KEY) and the SDK verifies them:
 * no session applies here.
 */
const handlers = serve({ client: inngest, functions: functions.map((f) => f.sdk) });

type Handler = (...args: Parameters<typeof handlers.GET>) => ReturnType<typeof handlers.GET>;

function servedWhenEnabled(handler: Handler): Handler {
  return (...args) =>
    env().INNGEST_SERVE_HTTP === "1" ? handler(...args) : Promise.resolve(Response.json({ error: "NOT_FOUND" }, { status: 404 }));
}

export const GET = servedWhenEnabled(handlers.GET);
export const POST = servedWhenEnabled(handlers.POST);
export const PUT = servedWhenEnabled(handlers.PUT);
