import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** The deployment manifest (docs/deployment.md) names commands that exist, for each tier. */
describe("Procfile", () => {
  it("runs a release, a web and a worker process with npm scripts the package defines", () => {
    const root = path.resolve(import.meta.dirname, "..");
    const scripts = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts as Record<string, string>;
    const entries = Object.fromEntries(
      readFileSync(path.join(root, "Procfile"), "utf8")
        .trim()
        .split("\n")
        .map((line) => line.split(/:\s*/, 2) as [string, string]),
    );
    expect(Object.keys(entries).sort()).toEqual(["release", "web", "worker"]);
    for (const command of Object.values(entries)) {
      const script = command.match(/^npm (?:run )?(\S+)$/)?.[1];
      expect(script && scripts[script], command).toBeTruthy();
    }
    expect(scripts.worker).toContain("inngest/worker.ts");
    expect(scripts.start).toBe("next start");
  });
});
