/**
 * A sync step's failure, worded for the admin who reads the sync history. The
 * domain throws it; the job layer (inngest/) decides what the engine does with
 * it: a `retryable` one is tried again from the step that failed, the others
 * end the run at once.
 */
export class SyncStepError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SyncStepError";
  }
}

export function isSyncStepError(error: unknown): error is SyncStepError {
  return error instanceof SyncStepError || (error as { name?: string } | null)?.name === "SyncStepError";
}
