import "server-only";
import sanitizeHtml from "sanitize-html";

/**
 * Coursera's course descriptions are sometimes plain text and sometimes HTML
 * (paragraphs, lists, links). The catalogue sync stores them as Coursera sent
 * them; this module decides, at render time on the server, how to show one:
 * HTML through an allow-list (so a change of the list applies to every stored
 * description at once, without a re-sync), plain text as text.
 *
 * Nothing from a description is trusted: only the tags below survive, links
 * keep an https href and nothing else, and the text of scripts, styles, frames
 * and foreign (SVG, MathML) content is dropped with its element.
 */

export type DescriptionView = { kind: "html"; html: string } | { kind: "text"; text: string } | { kind: "empty" };

const ELEMENT =
  "p|br|ul|ol|li|em|strong|b|i|u|a|div|span|h[1-6]|blockquote|code|pre|table|tr|td|th|img|script|style|iframe|object|embed|svg|math|form|input|button|link|meta|base|template|noscript|textarea|select|option|video|audio|source|details|summary|section|article|header|footer|hr|sub|sup|small|font|center";

/**
 * What only HTML contains: a closing tag of a real element, a tag that never
 * closes (<br>, <hr>, <img …>), an opening tag with an attribute (name=value),
 * or a comment.
 */
const HTML_SIGNS = [
  new RegExp(`</(?:${ELEMENT})\\s*>`, "i"),
  /<(?:br|hr|img|input|meta|link|base|embed|source)(?=[\s/>])[^>]*>/i,
  new RegExp(`<(?:${ELEMENT})\\s[^>]*=[^>]*>`, "i"),
  /<!--/,
];

/**
 * Plain text written by people ("Use List<T>", "if a<b and b>c") is not
 * HTML: only the signs above switch to the HTML path. A false "plain" is
 * harmless (React escapes text; the tags show as typed); a false "HTML" would
 * drop the words that looked like a tag, hence the narrow test.
 */
export function looksLikeHtml(description: string): boolean {
  return HTML_SIGNS.some((sign) => sign.test(description));
}

/** Elements dropped together with everything inside them (their text is code, styling or foreign markup, not prose). */
const DROPPED_WITH_CONTENT = [
  "script",
  "style",
  "textarea",
  "option",
  "select",
  "noscript",
  "noembed",
  "noframes",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "template",
  "svg",
  "math",
  "title",
  "head",
  "xmp",
  "plaintext",
  "button",
  "form",
];

export const REL_EXTERNAL = "noopener noreferrer nofollow";

/** An https URL in its normalised form, or null (javascript:, data:, http:, relative, protocol-relative, malformed). */
export function safeHttpsHref(href: string | undefined): string | null {
  if (!href) return null;
  // Browsers strip these before reading the scheme ("java\tscript:"); the URL parser does the same.
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" || !url.hostname) return null;
  return url.href;
}

const HTML_OPTIONS: sanitizeHtml.IOptions = {
  // span (without attributes) only so that a refused link can become one: see transformTags.a.
  allowedTags: ["p", "br", "ul", "ol", "li", "em", "strong", "b", "i", "a", "span"],
  allowedAttributes: { a: ["href", "rel"] },
  allowedSchemes: ["https"],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  nonTextTags: DROPPED_WITH_CONTENT,
  // Coursera descriptions are short: deeper nesting is either a mistake or an attack on the parser.
  nestingLimit: 20,
  parser: { lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true },
  transformTags: {
    // Block structure that is not on the list keeps its text as paragraphs rather than running into the next block.
    div: "p",
    section: "p",
    article: "p",
    blockquote: "p",
    h1: "p",
    h2: "p",
    h3: "p",
    h4: "p",
    h5: "p",
    h6: "p",
    // A link keeps only a safe https href and our rel; without one it becomes a bare span (its text).
    // The span must be an allowed tag: sanitize-html forgets to clear its rename when the renamed tag
    // is then discarded, and the next <a> at that depth would be closed by </span>, so stay open and
    // swallow what follows into the link (tested: "refused links do not leave the next link open").
    a: (_tagName, attribs): sanitizeHtml.Tag => {
      const href = safeHttpsHref(attribs.href);
      return href ? { tagName: "a", attribs: { href, rel: REL_EXTERNAL } } : { tagName: "span", attribs: {} };
    },
  },
  // Empty paragraphs and list items left behind by removed content only add blank space.
  exclusiveFilter: (frame) => (frame.tag === "p" || frame.tag === "li") && !frame.text.trim() && !frame.mediaChildren.length,
};

/** The sanitized HTML of a description written as HTML. */
export function sanitizeDescriptionHtml(html: string): string {
  return sanitizeHtml(html, HTML_OPTIONS).trim();
}

/** How to show a description: sanitized HTML, plain text (shown with its line breaks), or nothing. */
export function describeDescription(description: string | null | undefined): DescriptionView {
  const raw = (description ?? "").trim();
  if (!raw) return { kind: "empty" };
  if (!looksLikeHtml(raw)) return { kind: "text", text: raw };
  const html = sanitizeDescriptionHtml(raw);
  // Only hostile or empty markup: nothing readable is left.
  return html ? { kind: "html", html } : { kind: "empty" };
}

const TEXT_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [],
  allowedAttributes: {},
  disallowedTagsMode: "discard",
  nonTextTags: DROPPED_WITH_CONTENT,
  parser: { decodeEntities: true },
};

// Block boundaries, opening or closing (a list item's end is often implied by the next one's start).
const BLOCK_TAG = /<\/?(?:p|div|li|ul|ol|h[1-6]|blockquote|section|article|tr|td|th|br)\b[^>]*>/gi;
const ESCAPED: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };

/**
 * A description as one line of plain text, for an excerpt or a meta
 * description: tags removed (blocks become spaces), entities decoded, spaces
 * collapsed, cut at `maxLength` characters on a word boundary with "…".
 * The result is text, to be rendered as text (React escapes it).
 */
export function descriptionPlainText(description: string | null | undefined, maxLength = Infinity): string {
  const raw = (description ?? "").trim();
  let text = looksLikeHtml(raw)
    ? sanitizeHtml(raw.replace(BLOCK_TAG, " $& "), TEXT_OPTIONS).replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ESCAPED[e])
    : raw;
  text = text.replace(/\s+/g, " ").trim();
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, Math.max(0, maxLength - 1));
  const atWord = cut.replace(/\s+\S*$/, "");
  return `${atWord.length > maxLength / 2 ? atWord : cut}…`;
}
