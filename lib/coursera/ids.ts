/**
 * The shape of Coursera's identifiers that go into a URL path (the
 * organisation id today): letters, digits, `-` and `_` — Coursera's own ids
 * are base64url-like (`5pkPdkSLEeiOYBLHrRPfjg`). Dots, slashes, backslashes,
 * `%`, `?`, `#` and everything else are refused, so that an id can never be a
 * dot segment (`..`, `%2e%2e`) or another path, query or fragment, and the
 * organisation's token can only ever reach that organisation's endpoints.
 * Shared by the credentials form (browser) and the client (server).
 */
export const COURSERA_PATH_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function isCourseraPathId(value: unknown): value is string {
  return typeof value === "string" && COURSERA_PATH_ID.test(value);
}

/** One path segment of a Coursera URL, encoded; null when the value is not of Coursera's shape. */
export function courseraPathSegment(value: string): string | null {
  return isCourseraPathId(value) ? encodeURIComponent(value) : null;
}
