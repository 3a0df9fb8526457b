import "server-only";
/**
 * Failures of the Coursera API, with a stable `code` for the code paths that branch on them and a
 * `message` written for the customer admin who has to fix them (the UI shows it as is). Messages
 * never carry the client secret or an access token: only the things the admin typed, like the org id.
 */

export type CourseraErrorCode =
  | "BAD_CREDENTIALS"
  | "API_ACCESS_DISABLED"
  | "UNKNOWN_ORG"
  | "UNAVAILABLE"
  | "MALFORMED_RESPONSE"
  /** An answer the contract does not describe (e.g. 400 or 404 on the token endpoint). */
  | "UNEXPECTED_RESPONSE"
  /** The organisation is another platform's (not a Coursera answer: refused before any request). */
  | "ORG_SHARED";

export class CourseraError extends Error {
  readonly code: CourseraErrorCode;
  /** HTTP status of the answer that settled it, when there was one. */
  readonly status?: number;
  /** Whether trying the same call again later could succeed without the admin changing anything. */
  readonly retryable: boolean;
  /** How many HTTP attempts were made before giving up, when relevant. */
  readonly attempts?: number;

  constructor(
    code: CourseraErrorCode,
    message: string,
    opts: { status?: number; retryable?: boolean; attempts?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "CourseraError";
    this.code = code;
    this.status = opts.status;
    this.retryable = opts.retryable ?? false;
    this.attempts = opts.attempts;
  }
}

export function isCourseraError(e: unknown): e is CourseraError {
  return e instanceof CourseraError;
}

export function badCredentialsError(status?: number): CourseraError {
  return new CourseraError(
    "BAD_CREDENTIALS",
    "Coursera rejected the client ID or client secret. Check both values in the Coursera developer " +
      "console (or ask Coursera support for new ones) and save them again.",
    { status },
  );
}

export function apiAccessDisabledError(orgId: string, status = 403): CourseraError {
  return new CourseraError(
    "API_ACCESS_DISABLED",
    `API access is not enabled for this Coursera organisation (${orgId}), or these credentials belong ` +
      "to a different organisation. Ask your Coursera account team to enable API access for it.",
    { status },
  );
}

export function unknownOrgError(orgId: string, status = 404): CourseraError {
  return new CourseraError(
    "UNKNOWN_ORG",
    `Coursera does not know the organisation ID "${orgId}". Copy it again from Coursera ` + "(Admin → Settings) and save it.",
    { status },
  );
}

export function unavailableError(attempts: number, lastProblem: string, cause?: unknown): CourseraError {
  return new CourseraError(
    "UNAVAILABLE",
    `Coursera did not answer properly after ${attempts} attempt${attempts === 1 ? "" : "s"} ` +
      `(last problem: ${lastProblem}). This is usually temporary: try again later.`,
    { retryable: true, attempts, cause },
  );
}

export function malformedResponseError(attempts: number, detail: string, cause?: unknown): CourseraError {
  return new CourseraError(
    "MALFORMED_RESPONSE",
    `Coursera kept sending an unreadable answer after ${attempts} attempt${attempts === 1 ? "" : "s"} ` +
      `(${detail}). Nothing was changed; the next run will try again.`,
    { retryable: true, attempts, cause },
  );
}

export function unexpectedResponseError(status: number, where: string): CourseraError {
  return new CourseraError(
    "UNEXPECTED_RESPONSE",
    `Coursera answered ${where} with an unexpected HTTP ${status}. Check the API base URL; if it is ` +
      "right, contact support with this message.",
    { status },
  );
}

export function orgSharedError(): CourseraError {
  return new CourseraError(
    "ORG_SHARED",
    "This Coursera organisation is connected to another platform, so this platform does not sync it. Check the " +
      "organisation id, or ask customer success if this platform must share the organisation.",
  );
}
