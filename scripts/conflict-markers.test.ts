import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * No merge conflict marker survives in the repository. TypeScript would not
 * compile one, but Markdown, SQL, YAML and shell files take it as text:
 * one sat in the README's feature list for a day, re-indented by Prettier.
 */
const ROOT = path.resolve(import.meta.dirname, "..");
// What .gitignore keeps out of the repository, and Git's own directory.
const SKIPPED = new Set([".git", "node_modules", ".next", ".next-dev-test", ".next-e2e", ".data", "test-results", "playwright-report"]);
const SKIPPED_PATHS = new Set([path.join("lib", "generated")]);
const TEXT = /\.(tsx?|mjs|cjs|js|json|md|sql|prisma|ya?ml|sh|css|txt)$|^(run|Procfile)$/;
// Built here so that this file does not hold the markers it looks for.
const MARKER = new RegExp(`^\\s*(${"<".repeat(7)}|${">".repeat(7)})( |$)|^${"=".repeat(7)}$`);

function* repositoryFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name) && !SKIPPED_PATHS.has(path.relative(ROOT, full))) yield* repositoryFiles(full);
    } else if (TEXT.test(entry.name)) yield full;
  }
}

describe("the repository", () => {
  it("holds no merge conflict marker", () => {
    const found: string[] = [];
    for (const file of repositoryFiles(ROOT)) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (MARKER.test(line)) found.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });

  it("would notice one", () => {
    expect(MARKER.test(`  ${"<".repeat(7)} HEAD`)).toBe(true);
    expect(MARKER.test(`${">".repeat(7)} feature-branch`)).toBe(true);
    expect(MARKER.test("=".repeat(7))).toBe(true);
    // A Markdown heading underline or a comment rule is not a marker.
    expect(MARKER.test("=".repeat(12))).toBe(false);
    expect(MARKER.test("// <<< see below")).toBe(false);
  });
});
