/**
 * Which links from Coursera's catalogue the product follows: the launch URL
 * START redirects a learner to, and the images (promo photo, partner logos,
 * instructor photos) pages show. One allow-list, used when a catalogue page is
 * synced (lib/catalogue/mapping.ts), again by START before redirecting
 * (lib/learning/mutations.ts), and by the Content-Security-Policy's img-src and
 * form-action (lib/http/security-headers.ts).
 *
 * Only https on Coursera's own hosts, on the default port, without user info
 * (`https://evil.example@www.coursera.org` is refused, not parsed around), and
 * the text must be the URL exactly: no surrounding spaces, no control
 * characters, no backslashes — forms a URL parser silently repairs into
 * something else. Look-alike hosts (`www.cоursera.org` with a Cyrillic о) are
 * punycode to the parser and match nothing. Other schemes (`javascript:`,
 * `data:`, `http:`) never match.
 *
 * Extra origins (exact `scheme://host[:port]`) come from
 * COURSERA_ALLOWED_LINK_ORIGINS: the local sandbox in development and tests,
 * which serves its launch pages and images itself. `scheme://host:*` admits
 * any port of that host (the unit tests' sandboxes listen on random ports).
 * Pure: no environment read here.
 */

/** Where learners start courses: the program-scoped pages of coursera.org. */
export const COURSERA_LAUNCH_HOSTS = ["www.coursera.org", "coursera.org"] as const;

/** Where Coursera serves catalogue images: its own domain, its CDN and its asset buckets. */
export const COURSERA_IMAGE_HOSTS = [
  "coursera.org",
  "*.coursera.org",
  "d3njjcbhbojbot.cloudfront.net",
  "coursera-course-photos.s3.amazonaws.com",
  "coursera-university-assets.s3.amazonaws.com",
  "coursera-instructor-photos.s3.amazonaws.com",
] as const;

export type CourseraLinkKind = "launch" | "image";

const hostsFor = (kind: CourseraLinkKind): readonly string[] => (kind === "launch" ? COURSERA_LAUNCH_HOSTS : COURSERA_IMAGE_HOSTS);

/** Texts a link may start with to be allowed without a URL parse: an allowed origin and "/". */
interface Prefixes {
  exact: string[];
  /** `scheme://host:` of the `host:*` extra origins: a port and "/" must follow. */
  anyPort: string[];
}

// Keyed by the extra origins' array (the environment's, read once), then by kind: the sync checks every link of every item.
const prefixCache = new WeakMap<readonly string[], Map<CourseraLinkKind, Prefixes>>();
function prefixesFor(kind: CourseraLinkKind, extraOrigins: readonly string[]): Prefixes {
  let byKind = prefixCache.get(extraOrigins);
  if (!byKind) prefixCache.set(extraOrigins, (byKind = new Map()));
  let prefixes = byKind.get(kind);
  if (!prefixes) {
    const exact = hostsFor(kind).filter((host) => !host.startsWith("*."));
    prefixes = {
      exact: [
        ...exact.map((host) => `https://${host}/`),
        ...extraOrigins.filter((origin) => !origin.endsWith(":*")).map((origin) => `${origin}/`),
      ],
      anyPort: extraOrigins.filter((origin) => origin.endsWith(":*")).map((origin) => origin.slice(0, -1)),
    };
    byKind.set(kind, prefixes);
  }
  return prefixes;
}

const PORT_THEN_SLASH = /\d{1,5}\//y;

function startsWithAllowedOrigin(raw: string, prefixes: Prefixes): boolean {
  for (const prefix of prefixes.exact) if (raw.startsWith(prefix)) return true;
  for (const prefix of prefixes.anyPort) {
    if (!raw.startsWith(prefix)) continue;
    PORT_THEN_SLASH.lastIndex = prefix.length;
    if (PORT_THEN_SLASH.test(raw)) return true;
  }
  return false;
}

function hostMatches(hostname: string, pattern: string): boolean {
  if (pattern.startsWith("*.")) return hostname.endsWith(pattern.slice(1)) && hostname.length > pattern.length - 1;
  return hostname === pattern;
}

// Anything a parser would strip, turn or decode into something else: controls, spaces, backslashes.
const UNSAFE_URL_TEXT = /[\u0000-\u0020\u007F-\u00A0\\\u2028\u2029\uFEFF]/;

/** Whether `raw` is a link of this kind the product may follow or show. */
export function isAllowedCourseraUrl(raw: unknown, kind: CourseraLinkKind, extraOrigins: readonly string[] = []): raw is string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2048 || UNSAFE_URL_TEXT.test(raw)) return false;
  // The common case without a URL parse (the sync checks every link of every item): the text starts with
  // an allowed origin and "/", so its authority is exactly that host (no user info, no port).
  if (startsWithAllowedOrigin(raw, prefixesFor(kind, extraOrigins))) return true;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username !== "" || url.password !== "") return false;
  if (extraOrigins.includes(url.origin) || extraOrigins.includes(`${url.protocol}//${url.hostname}:*`)) return true;
  return url.protocol === "https:" && url.port === "" && hostsFor(kind).some((pattern) => hostMatches(url.hostname, pattern));
}

/** The sources of a Content-Security-Policy directive that admit exactly these links (for img-src and form-action). */
export function courseraCspSources(kind: CourseraLinkKind, extraOrigins: readonly string[] = []): string[] {
  return [...hostsFor(kind).map((host) => `https://${host}`), ...extraOrigins];
}

/** How a refused link is named to an admin: its scheme and host, never the whole text (it may be long or hostile). */
export function describeLink(raw: string): string {
  try {
    const url = new URL(raw.trim());
    if (url.protocol === "http:" || url.protocol === "https:") return `${url.protocol}//${url.host}`.slice(0, 120);
    return `a ${url.protocol} link`;
  } catch {
    return "an unreadable link";
  }
}

/** Parses COURSERA_ALLOWED_LINK_ORIGINS: comma-separated origins; each must be exactly an origin (no path). */
export function parseLinkOrigins(value: string | undefined): string[] | { error: string } {
  const out: string[] = [];
  for (const part of (value ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const anyPort = /^(https?:\/\/[^/:@]+):\*$/.exec(part);
    if (anyPort) {
      out.push(`${new URL(anyPort[1]).origin}:*`);
      continue;
    }
    let origin: string;
    try {
      origin = new URL(part).origin;
    } catch {
      return { error: `"${part}" is not a URL` };
    }
    if (origin === "null" || origin !== part.replace(/\/$/, ""))
      return { error: `"${part}" is not an origin (scheme://host[:port], no path)` };
    out.push(origin);
  }
  return out;
}
