/**
 * Runs the Coursera sandbox on its own:
 *   npx tsx sandbox/cli.ts --port 4010 [--host 127.0.0.1] [--catalogue-size N]
 *     [--enrollments N] [--bench-org] [--bench-contents N] [--bench-learners N]
 *     [--bench-enrollments N] [--max-page-size N] [--latency-ms N] [--public-base-url URL] [--no-demo]
 *     [--cache-pages]
 * `--catalogue-size` and `--enrollments` resize the demo org; `--cache-pages` (benchmarks) answers
 * a data page already rendered from memory until the next control call.
 */
import { parseArgs } from "node:util";
import { DEMO_NOAPI_ORG, DEMO_ORG, benchOrgConfig, type OrgConfig } from "@/sandbox/data";
import { startCourseraSandbox } from "@/sandbox/server";

function intFlag(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/_/g, ""));
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer (got "${value}")`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "4010" },
      host: { type: "string", default: "127.0.0.1" },
      "catalogue-size": { type: "string" },
      enrollments: { type: "string" },
      "bench-org": { type: "boolean", default: false },
      "bench-contents": { type: "string" },
      "bench-learners": { type: "string" },
      "bench-enrollments": { type: "string" },
      "max-page-size": { type: "string" },
      "latency-ms": { type: "string" },
      "public-base-url": { type: "string" },
      "no-demo": { type: "boolean", default: false },
      "cache-pages": { type: "boolean", default: false },
    },
    strict: true,
  });

  const orgs: OrgConfig[] = [];
  if (!values["no-demo"]) {
    orgs.push(
      {
        ...DEMO_ORG,
        catalogueSize: intFlag(values["catalogue-size"], "catalogue-size") ?? DEMO_ORG.catalogueSize,
        enrollmentCount: intFlag(values.enrollments, "enrollments") ?? DEMO_ORG.enrollmentCount,
      },
      DEMO_NOAPI_ORG,
    );
  }
  if (values["bench-org"]) {
    orgs.push(
      benchOrgConfig({
        catalogueSize: intFlag(values["bench-contents"], "bench-contents"),
        learners: intFlag(values["bench-learners"], "bench-learners"),
        enrollments: intFlag(values["bench-enrollments"], "bench-enrollments"),
      }),
    );
  }

  const sandbox = await startCourseraSandbox({
    port: intFlag(values.port, "port"),
    host: values.host,
    orgs,
    includeDemoOrg: false,
    maxPageSize: intFlag(values["max-page-size"], "max-page-size"),
    latencyMs: intFlag(values["latency-ms"], "latency-ms"),
    publicBaseUrl: values["public-base-url"],
    cachePages: values["cache-pages"],
  });
  console.log(`Coursera sandbox listening on ${sandbox.url}`);
  for (const id of sandbox.control.orgIds()) {
    const org = sandbox.control.org(id);
    console.log(
      `  org ${org.orgId}: client ${org.clientId}, ${org.catalogueSize} contents, ` +
        `${org.learnerCount()} learners, ${org.enrollmentCount} enrollments${org.apiAccess ? "" : " (API access disabled)"}`,
    );
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Coursera sandbox stopping (${signal})`);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
