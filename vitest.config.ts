import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Tests import server modules directly, as the server does (Next resolves this marker to an empty module there).
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["{lib,inngest,prisma,app,components,scripts,sandbox}/**/*.test.ts"],
    // npm run dev under every way of stopping it: its own stage (vitest.dev.config.ts), alone on the machine.
    exclude: ["node_modules", ".next", ".next-e2e", "e2e", "scripts/dev-supervision.test.ts"],
    globalSetup: ["./vitest.global-setup.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores here: more workers only queue on the database.
    maxWorkers: 2,
  },
});
