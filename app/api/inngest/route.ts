import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

// The endpoint an Inngest server calls to run our functions. Inngest signs its
// requests (INNGEST_SIGNING_KEY) and the SDK verifies them: no session applies here.
export const { GET, POST, PUT } = serve({ client: inngest, functions });
