import { defineConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * `npm test`'s "dev" stage: the README's run command itself, started and
 * stopped as a newcomer's terminal would (scripts/dev-supervision.test.ts).
 * Alone, one file, long timeouts: each start compiles pages in `next dev`.
 */
export default defineConfig({
  resolve: base.resolve,
  test: {
    include: ["scripts/dev-supervision.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});
