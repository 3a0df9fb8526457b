/**
 * The same requests served by two production builds of the app, side by side,
 * to measure what a change costs per request: e.g. the proxy that puts a
 * Content-Security-Policy nonce on every page (issue 14 #6).
 *
 *   npx tsx --conditions=react-server scripts/bench/compare-builds.ts <before-checkout> [<after-checkout>=.]
 *
 * Each checkout must hold a `next build`. Both servers run at once on one fresh
 * database (migrated by this checkout, seeded with the demo), so they see the
 * same data and the same machine; the scenarios alternate between them for
 * several rounds, and each row gives the server's own CPU per request (from
 * /proc, its process group), which says what a request costs whatever else the
 * machine is doing. Scenarios: the static 404 page signed in, the sign-in page
 * signed out, an admin page signed in, and a JSON route (the proxy runs for
 * none of /api: the control).
 */
import { randomBytes } from "node:crypto";
import { existsSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { provisionDatabase } from "@/lib/database/provision";
import { run, startDetached, stopGroup, waitForHttp } from "../run-command";
import { signInOverHttp } from "../sign-in-over-http";
import { cpuTime } from "./cpu-time";
import { percentile } from "./table";
import { DEMO_PASSWORD } from "../../prisma/demo-data";

const [beforeDir, afterDir = "."] = process.argv.slice(2).map((d) => path.resolve(d));
const ROUNDS = Number(process.env.COMPARE_ROUNDS ?? 3);
const SECONDS = Number(process.env.COMPARE_SECONDS ?? 6);
const CONNECTIONS = 10;

async function main() {
  if (!beforeDir) throw new Error("usage: compare-builds.ts <before-checkout> [<after-checkout>]");
  for (const dir of [beforeDir, afterDir])
    if (!existsSync(path.join(dir, ".next", "BUILD_ID"))) throw new Error(`no build in ${dir}/.next`);
  const database = await provisionDatabase({
    serverUrl: process.env.DATABASE_URL || undefined,
    fresh: true,
    freshPrefix: "connector_compare",
  });
  const servers: { name: string; dir: string; port: number; child: ReturnType<typeof startDetached>; cookie: string }[] = [];
  try {
    const env = {
      ...process.env,
      NODE_ENV: "production" as const,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: database.url,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      RUNNER_SCHEDULES: "0",
    };
    if (
      (await run(
        path.join(afterDir, "node_modules/.bin/tsx"),
        ["--conditions=react-server", path.join(afterDir, "prisma/seed.ts")],
        env,
      )) !== 0
    )
      throw new Error("seed failed");
    for (const [name, dir, port] of [
      ["before", beforeDir, 3191],
      ["after", afterDir, 3192],
    ] as const) {
      const base = `http://127.0.0.1:${port}`;
      const child = startDetached(
        process.execPath,
        [path.join(dir, "node_modules/next/dist/bin/next"), "start", dir, "-p", String(port), "-H", "127.0.0.1"],
        { ...env, NEXTAUTH_URL: base },
        openSync(path.join(tmpdir(), `compare-${name}-${process.pid}.log`), "a"),
      );
      await waitForHttp(`${base}/api/health`, 120_000);
      servers.push({ name, dir, port, child, cookie: await signInOverHttp(base, "admin@acme.test", DEMO_PASSWORD) });
    }
    const platformId = await (async () => {
      const res = await fetch(`http://127.0.0.1:${servers[1].port}/`, { headers: { cookie: servers[1].cookie }, redirect: "manual" });
      return new URL(res.headers.get("location")!, "http://x").pathname.split("/")[2];
    })();
    const scenarios = [
      { name: "static 404 page, signed in", path: "/compare-static-baseline", status: 404, signedIn: true },
      { name: "sign-in page, signed out", path: "/sign-in", status: 200, signedIn: false },
      { name: "admin page (unmatched inbox), signed in", path: `/p/${platformId}/unmatched`, status: 200, signedIn: true },
      { name: "JSON route (skills), signed in: control", path: `/api/platforms/${platformId}/skills?q=py`, status: 200, signedIn: true },
    ];
    const results = new Map<string, { requests: number; cpuMs: number; latencies: number[] }>();
    for (const s of scenarios) {
      for (const server of servers) {
        // Warm-up: JIT and caches.
        await load(`http://127.0.0.1:${server.port}${s.path}`, s.signedIn ? server.cookie : "", 2, server.child.pid!);
      }
      for (let round = 0; round < ROUNDS; round++) {
        for (const server of round % 2 === 0 ? servers : [...servers].reverse()) {
          const r = await load(
            `http://127.0.0.1:${server.port}${s.path}`,
            s.signedIn ? server.cookie : "",
            SECONDS,
            server.child.pid!,
            s.status,
          );
          const key = `${s.name}|${server.name}`;
          const acc = results.get(key) ?? { requests: 0, cpuMs: 0, latencies: [] };
          acc.requests += r.requests;
          acc.cpuMs += r.cpuMs;
          acc.latencies.push(...r.latencies);
          results.set(key, acc);
        }
      }
    }
    console.log(
      `\n${ROUNDS} alternating rounds of ${SECONDS} s per server and scenario, ${CONNECTIONS} connections; server CPU per request:`,
    );
    for (const s of scenarios) {
      const [b, a] = ["before", "after"].map((n) => results.get(`${s.name}|${n}`)!);
      const per = (x: typeof b) => x.cpuMs / Math.max(1, x.requests);
      const p95 = (x: typeof b) =>
        Math.round(
          percentile(
            [...x.latencies].sort((m, n) => m - n),
            95,
          ),
        );
      console.log(
        `${s.name.padEnd(44)} before ${per(b).toFixed(2)} ms (${b.requests} req, p95 ${p95(b)} ms)   after ${per(a).toFixed(2)} ms (${a.requests} req, p95 ${p95(a)} ms)   Δ ${(per(a) - per(b)).toFixed(2)} ms`,
      );
    }
  } finally {
    for (const s of servers) await stopGroup(s.child);
    await database.release();
  }
}

async function load(url: string, cookie: string, seconds: number, group: number, expectedStatus?: number) {
  const latencies: number[] = [];
  let unexpected = 0;
  const before = cpuTime(group);
  const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: cookie ? { cookie } : {} });
  instance.on("response", (_c: unknown, status: number, _b: number, ms: number) => {
    if (expectedStatus !== undefined && status !== expectedStatus) unexpected++;
    latencies.push(ms);
  });
  await instance;
  const after = cpuTime(group);
  if (unexpected > 0) throw new Error(`${url}: ${unexpected} answers other than ${expectedStatus}`);
  return { requests: latencies.length, cpuMs: before && after ? after.groupMs - before.groupMs : NaN, latencies };
}

void main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
