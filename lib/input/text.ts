import { z } from "zod";

/**
 * Text from the browser, made safe to hand to PostgreSQL. Shared by forms (in
 * the browser) and by every server action, route handler and page that reads
 * what a browser sent.
 *
 * PostgreSQL refuses NUL in text and in JSON (`invalid byte sequence`,
 * `unsupported Unicode escape sequence`), and a lone UTF-16 surrogate cannot be
 * encoded as UTF-8 at all (JSON parameters carrying one are refused, plain text
 * ones are silently changed). Other control characters are stored, but nobody
 * types them: they only ever come from a crafted request. So:
 * - fields a person fills in (forms, actions) refuse such text with a message;
 * - search parameters (URLs, which people edit and share) are cleaned and cut
 *   to their length, never refused: a hand-edited URL still shows the page;
 * - ids are checked against the shape of our ids, so anything else is "not
 *   found" without a query.
 */

// C0 controls except tab, line feed and carriage return; DEL; C1 controls.
const CONTROL = "[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]";
const LONE_SURROGATE = "[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]";
const UNSTORABLE = new RegExp(`${CONTROL}|${LONE_SURROGATE}`);
const CONTROL_ALL = new RegExp(CONTROL, "g");
const LONE_SURROGATE_ALL = new RegExp(LONE_SURROGATE, "g");

/** Whether the text holds nothing PostgreSQL refuses and nothing only a crafted request contains. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** Drops control characters and replaces lone surrogates with U+FFFD, as a UTF-8 decoder would. */
export function cleanText(value: string): string {
  return isStorableText(value) ? value : value.replace(CONTROL_ALL, "").replace(LONE_SURROGATE_ALL, "\uFFFD");
}

export const UNSTORABLE_TEXT_MESSAGE = "This text contains invisible control characters. Type it again without them.";

/** A form field's text: refused (with the field's message) when it holds characters that cannot be stored. */
export function storableString(message = UNSTORABLE_TEXT_MESSAGE) {
  return z.string().refine(isStorableText, { message, abort: true });
}

/**
 * The shape of every id we hand out (cuid and the sync's cuid-like row ids):
 * letters, digits, `_` and `-`, at most 64. Anything else names nothing.
 */
export const ROW_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isRowId(value: unknown): value is string {
  return typeof value === "string" && ROW_ID.test(value);
}

/** An id from the browser (a form, an action argument, a path parameter). Surrounding spaces are forgiven. */
export function rowIdSchema(message = "This item does not exist.") {
  return z.string({ error: message }).trim().regex(ROW_ID, { message });
}

/** The first value of a search parameter (Next.js gives an array when a key is repeated). */
function firstValue(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A search box's text from a URL: cleaned, trimmed and cut to `max` characters
 * (never refused, so the page's other filters still apply); blank is absent.
 */
export function searchTextSchema(max: number) {
  return z.unknown().transform((value): string | undefined => {
    const first = firstValue(value);
    if (typeof first !== "string") return undefined;
    const cut = cleanText(first).trim().slice(0, max).trim();
    return cut === "" ? undefined : cut;
  });
}

/**
 * A filter's value from a URL (an id, a language): cleaned and trimmed, and
 * kept even when it names nothing, so that it selects nothing rather than
 * being dropped (which would select everything). Cut at 256 characters.
 */
export const filterValueSchema = searchTextSchema(256);

export type SearchParamsInput = Record<string, string | string[] | undefined> | URLSearchParams;

/**
 * A page state's search parameters as a query string: only `keys`, always in
 * that order, blank ones left out. The page's server render and its client's
 * query for the same URL then make the same string, so they share one cache key,
 * and a parameter the state does not read never makes a second request.
 */
export function canonicalQuery(keys: readonly string[], input: SearchParamsInput): string {
  const out = new URLSearchParams();
  for (const key of keys) {
    const value = input instanceof URLSearchParams ? input.get(key) : firstValue(input[key]);
    if (typeof value === "string" && value) out.set(key, value);
  }
  return out.toString();
}

/**
 * Reads a page's or route's search parameters with the page's schema, one
 * field at a time: every value is cleaned first (see cleanText), and a field
 * whose value its schema refuses falls back to that field's default alone —
 * one bad or oversized parameter never resets the others.
 */
export function parseSearchParams<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  input: SearchParamsInput,
): z.output<z.ZodObject<Shape>> {
  const read = (key: string): unknown => {
    const value = input instanceof URLSearchParams ? (input.get(key) ?? undefined) : firstValue(input[key]);
    return typeof value === "string" ? cleanText(value) : value;
  };
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const parsed = field.safeParse(read(key));
    out[key] = parsed.success ? parsed.data : field.safeParse(undefined).data;
  }
  return out as z.output<z.ZodObject<Shape>>;
}

/** One text search parameter of a request (route handlers): cleaned, trimmed and cut to `max`; "" when absent. */
export function searchParamText(url: string | URL, key: string, max: number): string {
  return searchTextSchema(max).parse(new URL(url).searchParams.get(key) ?? undefined) ?? "";
}
