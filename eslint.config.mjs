import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";

/**
 * The architecture's one-way data flow, enforced: routes and functions call the
 * domain, the domain calls Prisma and the Coursera client, nothing below calls
 * back up, and the sandbox and test helpers never reach production code.
 * Each rule names the reason in its message. `scripts/lint-boundaries.test.ts` proves the
 * rules fire on a forbidden import.
 */
const TESTS = ["**/*.test.ts", "**/*.test.tsx", "**/*.fixtures.ts", "e2e/**", "scripts/**", "sandbox/**", "prisma/seed.ts"];

const sandboxAndTestHelpers = [
  { group: ["@/sandbox/*", "**/sandbox/*"], message: "The Coursera sandbox is a separate program: production code never imports it." },
  { group: ["**/*.fixtures", "**/*.fixtures.ts"], message: "Test helpers (*.fixtures.ts) are for tests only." },
  { group: ["vitest", "@playwright/test", "@inngest/test"], message: "Test libraries are for tests only." },
];

const upwards = [
  {
    group: ["@/inngest/*", "@/inngest"],
    message: "The domain (lib/) never imports the job layer: return or throw domain errors, inngest/ translates them.",
  },
  { group: ["@/app/*"], message: "The domain (lib/) never imports routes." },
  { group: ["@/components/*"], message: "The domain (lib/) never imports UI." },
];

/** Dynamic import() escapes no-restricted-imports; the same boundaries for it. */
const dynamicImportOf = (pattern, message) => ({ selector: `ImportExpression[source.value=/${pattern}/]`, message });

const config = [
  ...nextVitals,
  ...nextTs,
  // Formatting is Prettier's (checked by the lint stage of `npm test`); ESLint keeps to correctness.
  prettier,
  {
    files: ["lib/**/*.ts"],
    ignores: TESTS,
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [...upwards, ...sandboxAndTestHelpers] }],
      "no-restricted-syntax": [
        "error",
        dynamicImportOf(
          "^@\\/(inngest|app|components|sandbox)",
          "The domain (lib/) never imports the job layer, routes, UI or the sandbox.",
        ),
      ],
    },
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    ignores: TESTS,
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/*/queries", "@/lib/*/mutations", "@/lib/*/sync", "@/lib/db", "@/lib/*/*/queries", "@/lib/*/*/mutations"],
              allowTypeImports: false,
              message: "Shared UI never touches the database: take data as props, and share types through a types.ts module.",
            },
            { group: ["@/inngest/*", "@/app/*"], message: "Shared UI never imports the job layer or routes." },
            ...sandboxAndTestHelpers,
          ],
        },
      ],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}", "inngest/**/*.ts", "proxy.ts", "instrumentation.ts"],
    ignores: TESTS,
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: sandboxAndTestHelpers }],
      "no-restricted-syntax": [
        "error",
        dynamicImportOf("^@\\/sandbox|\\.fixtures", "Production code never imports the sandbox or test helpers."),
      ],
    },
  },
  {
    ignores: [
      "lib/generated/**",
      ".next/**",
      ".next-dev-test/**",
      ".next-e2e/**",
      ".data/**",
      "node_modules/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
];

export default config;
