import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { db } from "@/lib/db";
import { exitingWithParent, stopGroup } from "../run-command";

/** The sandbox's bench org (sandbox//data.ts benchOrgConfig): its server process, and the platform users its records name. */

/**
 * The Coursera sandbox in its own process serving the bench org at the given sizes, as Coursera is
 * another machine: generating and serialising 500,000 records is the sandbox's work, and must not be
 * billed to the sync it feeds. With `cachePages`, each page is rendered once and then served from
 * memory (until a control call changes the data), so that after prerenderListing() the sandbox
 * takes next to no CPU from the machine the sync and its database share.
 */
export async function startSandboxProcess(
  sizes: { courses: number; learners: number; enrollments: number },
  options: { cachePages?: boolean } = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const args = ["--bench-org"];
  if (options.cachePages) args.push("--cache-pages");
  args.push(
    "--bench-contents",
    String(sizes.courses),
    "--bench-learners",
    String(sizes.learners),
    "--bench-enrollments",
    String(sizes.enrollments),
  );
  return startSandboxCli(args);
}

/** The sandbox CLI (sandbox/cli.ts) in its own process, without the demo orgs, on a free port. */
export async function startSandboxCli(extraArgs: string[]): Promise<{ url: string; stop(): Promise<void> }> {
  const args = ["--import", "tsx", "sandbox/cli.ts", "--port", "0", "--no-demo", ...extraArgs];
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "inherit"],
    env: exitingWithParent(process.env),
    detached: true,
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const match = line.match(/listening on (\S+)/);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`the sandbox exited (${code}) before listening`)));
  });
  return { url, stop: () => stopGroup(child) };
}

/**
 * Reads a whole listing once, untimed, so that a sandbox started with `cachePages` has every page
 * rendered before the timed scenario reads them.
 */
export async function prerenderListing(fetchPage: (start: number) => Promise<{ next: number | null }>): Promise<void> {
  for (let start: number | null = 0; start !== null;) start = (await fetchPage(start)).next;
}

/**
 * The `count` learners the bench org's enrollment records name, on a platform of the database
 * lib/db points at. Half carry an externalId (upper-cased, so the case-insensitive index is
 * exercised), half match by email.
 */
export async function insertBenchOrgLearners(platformId: string, count: number): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "User" ("id", "platformId", "email", "name", "role", "externalId", "createdAt", "updatedAt")
    SELECT 'bench-user-' || n, ${platformId}, 'learner' || n || '@bench.test', 'Learner ' || n, 'LEARNER',
           CASE WHEN n % 2 = 0 THEN 'LEARNER' || n || '@BENCH.TEST' END, now(), now()
    FROM generate_series(1, ${count}::int) AS n`;
}
