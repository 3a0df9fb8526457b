import "server-only";

/**
 * Inngest's documented limits per function run
 * (https://www.inngest.com/docs/usage-limits/inngest). The embedded runner
 * enforces the same, so a function that would fail on Inngest fails in tests
 * and on the embedded default too.
 */
export const INNGEST_LIMITS = {
  stepsPerRun: 1_000,
  stepOutputBytes: 4 * 1024 * 1024,
  runStateBytes: 32 * 1024 * 1024,
  eventBytes: 256 * 1024,
} as const;

/** A run stopped by one of Inngest's limits: never retried, as on Inngest. */
export class InngestLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InngestLimitError";
  }
}

export function jsonBytes(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value) ?? "null");
}
