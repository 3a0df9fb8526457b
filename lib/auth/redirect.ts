/**
 * Where the browser may be sent after signing in (or out): a path of our own
 * origin, or "/" — whatever the `callbackUrl` it came with. Used by every
 * place that follows a redirect target from the browser: next-auth's redirect
 * callback (lib/auth/options.ts), the sign-in page and its form, the proxy.
 * Shared with the browser (the form), so no server-only import.
 *
 * Rules, each a bypass seen in the wild:
 * - the text must be a path: "/" then printable ASCII only. Browsers turn
 *   backslashes into slashes and drop tabs and newlines (`/\evil`, `/\t/evil`
 *   become `//evil`); non-ASCII look-alikes (`／／evil`, `。`) and control or
 *   direction characters are refused outright; an absolute URL is accepted only
 *   for our own origin (next-auth passes those) and reduced to its path;
 * - every percent-decoded layer (up to 4: `%5C`, `%252F%252F`…) must be free of
 *   backslashes, control characters, and a leading `//`, in case something
 *   downstream decodes once more;
 * - the path is resolved as the browser will resolve it, and must stay on our
 *   origin and not start with `//` (`/.//evil` resolves to `//evil`).
 */

const FALLBACK = "/";
const PROBE_ORIGIN = "http://callback.invalid";
const PRINTABLE_PATH = /^\/[\x21-\x7E]*$/;
const HOSTILE_LAYER = /[\\\u0000-\u001F\u007F-\u009F]|^\s*[/\\]{2}/;

export function safeCallbackPath(raw: unknown, ownOrigin?: string): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2048) return FALLBACK;
  let value = raw;
  if (ownOrigin && (value === ownOrigin || value.startsWith(`${ownOrigin}/`) || value.startsWith(`${ownOrigin}?`))) {
    value = value.slice(ownOrigin.length) || "/";
    if (value.startsWith("?")) value = `/${value}`;
  }
  if (!PRINTABLE_PATH.test(value) || value.includes("\\") || value.startsWith("//")) return FALLBACK;

  let layer = value;
  for (let depth = 0; ; depth++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return FALLBACK; // a malformed escape: no path of ours has one
    }
    if (decoded === layer) break;
    if (depth >= 4 || HOSTILE_LAYER.test(decoded)) return FALLBACK;
    layer = decoded;
  }

  let url: URL;
  try {
    url = new URL(value, `${PROBE_ORIGIN}/`);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== PROBE_ORIGIN) return FALLBACK;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith("/") || path.startsWith("//") || path.includes("\\")) return FALLBACK;
  return path;
}
