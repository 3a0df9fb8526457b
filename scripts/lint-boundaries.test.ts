import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * The architecture's boundaries are lint rules (eslint.config.mjs): this
 * lints small files placed where each forbidden import would hurt, with the
 * project's own configuration, and checks the rule fires with its reason, and
 * that the same import where it belongs passes.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages
    .filter((m) => m.ruleId === "@typescript-eslint/no-restricted-imports" || m.ruleId === "no-restricted-syntax")
    .map((m) => m.message);
}

const forbidden: [where: string, file: string, code: string, reason: RegExp][] = [
  [
    "the domain importing the job layer",
    "lib/catalogue/boundary-probe.ts",
    `import { send } from "@/inngest/send";\nexport const x = send;\n`,
    /never imports the job layer/,
  ],
  [
    "the domain importing a route",
    "lib/catalogue/boundary-probe.ts",
    `import { GET } from "@/app/api/health/route";\nexport const x = GET;\n`,
    /never imports routes/,
  ],
  [
    "the domain importing UI",
    "lib/catalogue/boundary-probe.ts",
    `import { Badge } from "@/components/badge";\nexport const x = Badge;\n`,
    /never imports UI/,
  ],
  [
    "the domain importing the job layer dynamically",
    "lib/catalogue/boundary-probe.ts",
    `export const x = () => import("@/inngest/send");\n`,
    /never imports the job layer/,
  ],
  [
    "the domain importing the sandbox",
    "lib/catalogue/boundary-probe.ts",
    `import { startCourseraSandbox } from "@/sandbox/server";\nexport const x = startCourseraSandbox;\n`,
    /separate program/,
  ],
  [
    "shared UI importing a query module",
    "components/boundary-probe.tsx",
    `import { listCourses } from "@/lib/catalogue/queries";\nexport const x = listCourses;\n`,
    /never touches the database/,
  ],
  [
    "shared UI importing the database",
    "components/boundary-probe.tsx",
    `import { db } from "@/lib/db";\nexport const x = db;\n`,
    /never touches the database/,
  ],
  [
    "a route importing the sandbox",
    "app/api/boundary-probe/route.ts",
    `import { startCourseraSandbox } from "@/sandbox/server";\nexport const x = startCourseraSandbox;\n`,
    /separate program/,
  ],
  [
    "a job importing a test helper",
    "inngest/functions/boundary-probe.ts",
    `import { runSyncInThisProcess } from "@/lib/sync/run-in-process.fixtures";\nexport const x = runSyncInThisProcess;\n`,
    /for tests only/,
  ],
  [
    "a route importing a test library",
    "app/api/boundary-probe/route.ts",
    `import { expect } from "vitest";\nexport const x = expect;\n`,
    /for tests only/,
  ],
];

const allowed: [where: string, file: string, code: string][] = [
  ["the domain importing the database", "lib/catalogue/boundary-probe.ts", `import { db } from "@/lib/db";\nexport const x = db;\n`],
  [
    "a job importing the domain",
    "inngest/functions/boundary-probe.ts",
    `import { catalogueSync } from "@/lib/catalogue/sync";\nexport const x = catalogueSync;\n`,
  ],
  [
    "a test importing the sandbox and a fixture",
    "lib/catalogue/boundary-probe.test.ts",
    `import { startCourseraSandbox } from "@/sandbox/server";\nimport { runSyncInThisProcess } from "@/lib/sync/run-in-process.fixtures";\nexport const x = [startCourseraSandbox, runSyncInThisProcess];\n`,
  ],
  [
    "shared UI importing a type-only module",
    "components/boundary-probe.tsx",
    `import type { BadgeTone } from "@/components/badge";\nexport type X = BadgeTone;\n`,
  ],
];

describe("architecture boundaries enforced by lint", () => {
  // Loading the configuration and its plugins takes seconds on a busy machine: once, in the hook's time.
  beforeAll(() => eslint.lintText("", { filePath: "lib/boundary-probe.ts" }));

  for (const [where, file, code, reason] of forbidden) {
    it(`refuses ${where}`, async () => {
      const errors = await boundaryErrors(file, code);
      expect(errors.length, `no boundary error for ${file}`).toBeGreaterThan(0);
      expect(errors.join("\n")).toMatch(reason);
    });
  }
  for (const [where, file, code] of allowed) {
    it(`allows ${where}`, async () => {
      expect(await boundaryErrors(file, code)).toEqual([]);
    });
  }
});
