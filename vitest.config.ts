import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["{lib,inngest,prisma,app,components,scripts}/**/*.test.ts"],
    exclude: ["node_modules", ".next", "e2e"],
    globalSetup: ["./vitest.global-setup.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores here: more workers only queue on the database.
    maxWorkers: 2,
  },
});
