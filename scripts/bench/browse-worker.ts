/**
 * Signed-in admins browsing, in a process of its own (forked by load.ts): the load generator's work
 * stays out of the benchmark's own event loop, and ending the process ends every connection, even
 * those waiting on an overloaded server. Started with the target and the sessions over IPC; on
 * "stop", reports its latencies and exits.
 */
import autocannon, { type Request } from "autocannon";
import { percentile } from "./table";

export interface BrowseJob {
  base: string;
  paths: string[];
  cookies: string[];
}

export interface BrowseReport {
  requests: number;
  seconds: number;
  p50: number;
  p95: number;
  failures: number;
}

process.once("message", (job: BrowseJob) => {
  const latencies: number[] = [];
  let failures = 0;
  let nextSession = 0;
  // Each connection keeps the session of one admin.
  const withSession = (request: Request, context: Record<string, unknown>): Request => {
    context.cookie ??= job.cookies[nextSession++ % job.cookies.length];
    return { ...request, headers: { ...request.headers, cookie: context.cookie as string } };
  };
  const started = performance.now();
  const instance = autocannon({
    url: job.base,
    connections: job.cookies.length,
    duration: 3600,
    timeout: 30,
    requests: job.paths.map((path) => ({ method: "GET", path, setupRequest: withSession })),
  });
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    if (statusCode !== 200) failures++;
    latencies.push(responseTime);
  });
  process.once("message", () => {
    const seconds = (performance.now() - started) / 1000;
    instance.stop();
    void Promise.resolve(instance).then((result) => {
      latencies.sort((a, b) => a - b);
      const report: BrowseReport = {
        requests: latencies.length,
        seconds,
        p50: Math.round(percentile(latencies, 50)),
        p95: Math.round(percentile(latencies, 95)),
        failures: failures + result.errors + result.timeouts,
      };
      process.send!(report, () => process.exit(0));
    });
  });
  process.send!("started");
});
