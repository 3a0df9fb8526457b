import { describe, expect, it } from "vitest";
import {
  describeDescription,
  descriptionPlainText,
  looksLikeHtml,
  REL_EXTERNAL,
  safeHttpsHref,
  sanitizeDescriptionHtml,
} from "@/lib/catalogue/description-html";
import { HOSTILE_DESCRIPTION_HTML } from "@/sandbox/data";

/** Coursera descriptions come from outside: every one of these must render harmlessly. */

const html = (raw: string): string => {
  const view = describeDescription(raw);
  return view.kind === "html" ? view.html : view.kind === "text" ? `TEXT:${view.text}` : "EMPTY";
};

/** Nothing executable or styling may be left, whatever the input. */
function expectHarmless(out: string) {
  expect(out).not.toMatch(/<(?!\/?(?:p|br|ul|ol|li|em|strong|b|i|a|span)\b)[a-z!?/]/i);
  expect(out).not.toMatch(/\son[a-z]+\s*=/i);
  expect(out).not.toMatch(/\s(?:style|class|id|src|srcset|target|xlink:href|formaction|action)\s*=/i);
  expect(out).not.toMatch(/=\s*["']?\s*(?:javascript|vbscript|data):/i);
  for (const href of out.matchAll(/href="([^"]*)"/g)) expect(href[1]).toMatch(/^https:\/\//);
  // Every element is closed by its own end tag: an unclosed <a> would turn what follows into its link.
  for (const tag of ["p", "ul", "ol", "li", "em", "strong", "b", "i", "a", "span"]) {
    const opened = out.match(new RegExp(`<${tag}[\\s>]`, "g"))?.length ?? 0;
    const closed = out.match(new RegExp(`</${tag}>`, "g"))?.length ?? 0;
    expect(closed, `<${tag}> in ${out}`).toBe(opened);
  }
}

describe("describeDescription: allowed structure", () => {
  it("keeps paragraphs, lists, emphasis and line breaks", () => {
    const raw =
      "<p>Learn <strong>SQL</strong> and <em>Python</em>.<br />Then:</p><ul><li>one</li><li><b>two</b></li></ul><ol><li><i>three</i></li></ol>";
    expect(html(raw)).toBe(raw);
  });

  it("keeps an https link, normalised, with rel noopener noreferrer nofollow and nothing else", () => {
    expect(
      html('<p><a href="https://www.coursera.org/learn/x?a=1&b=2" target="_blank" title="t" rel="opener" class="c">Coursera</a></p>'),
    ).toBe(`<p><a href="https://www.coursera.org/learn/x?a=1&amp;b=2" rel="${REL_EXTERNAL}">Coursera</a></p>`);
  });

  it("turns headings, divs and quotes into paragraphs so blocks do not run together", () => {
    expect(html("<h2>About</h2><div>First</div><div>Second</div><blockquote>Quote</blockquote>")).toBe(
      "<p>About</p><p>First</p><p>Second</p><p>Quote</p>",
    );
  });

  it("keeps the text of unknown inline tags and drops the tags", () => {
    expect(html("<p><span class='x'>Hello</span> <font color=red>world</font> <u>u</u></p>")).toBe("<p><span>Hello</span> world u</p>");
  });

  it("closes unclosed and misnested tags", () => {
    expect(html("<ul><li>one<li>two</ul><p>unclosed <b>bold <i>both</p>")).toBe(
      "<ul><li>one</li><li>two</li></ul><p>unclosed <b>bold <i>both</i></b></p>",
    );
    expectHarmless(html("<p><b><i>deep</b></i></p></p></div><li>stray"));
  });

  it("decodes entities in text and escapes what must be escaped on output", () => {
    expect(html("<p>Tom &amp; Jerry &lt;3 &quot;cheese&quot; &eacute;t&#233; &#x3C;script&#x3E;</p>")).toBe(
      '<p>Tom &amp; Jerry &lt;3 "cheese" été &lt;script&gt;</p>',
    );
  });

  it("limits nesting depth", () => {
    const deep = "<b>".repeat(500) + "deep" + "</b>".repeat(500);
    const out = html(`<p>${deep}</p>`);
    expect(out).toContain("deep");
    expect((out.match(/<b>/g) ?? []).length).toBeLessThan(25);
  });
});

describe("describeDescription: hostile HTML", () => {
  const hostile: [string, string][] = [
    ["script", "<p>Hi</p><script>alert(1)</script>"],
    ["script with src", '<script src="https://evil.example/x.js"></script><p>Hi</p>'],
    ["uppercase script", "<SCRIPT>alert(1)</SCRIPT><p>Hi</p>"],
    ["split script", "<<script>script>alert(1)<</script>/script><p>Hi</p>"],
    ["img onerror", '<img src=x onerror="alert(1)"><p>Hi</p>'],
    ["event handler on an allowed tag", '<p onclick="alert(1)" onmouseover=alert(2) ONLOAD=x>Hi</p>'],
    ["style element", "<style>body{display:none}</style><p>Hi</p>"],
    ["style attribute", '<p style="position:fixed;inset:0;background:url(javascript:alert(1))">Hi</p>'],
    ["iframe", '<iframe src="https://evil.example"></iframe><p>Hi</p>'],
    ["iframe srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe><p>Hi</p>'],
    ["object and embed", '<object data="x.swf"></object><embed src="x.swf"><p>Hi</p>'],
    ["javascript: link", '<p><a href="javascript:alert(1)">Hi</a></p>'],
    ["javascript: link with case and spaces", '<p><a href="  JaVaScRiPt:alert(1)">Hi</a></p>'],
    ["javascript: link with a tab and entities", '<p><a href="java&#x09;script&#58;alert(1)">Hi</a></p>'],
    ["javascript: link with a newline", '<p><a href="java\nscript:alert(1)">Hi</a></p>'],
    ["data: link", '<p><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Hi</a></p>'],
    ["vbscript: link", '<p><a href="vbscript:msgbox(1)">Hi</a></p>'],
    ["http link", '<p><a href="http://plain.example/">Hi</a></p>'],
    ["protocol-relative link", '<p><a href="//evil.example/">Hi</a></p>'],
    ["relative link", '<p><a href="/admin/delete">Hi</a></p>'],
    ["svg with script", "<svg><script>alert(1)</script><a xlink:href='javascript:alert(1)'><text>x</text></a></svg><p>Hi</p>"],
    ["svg onload", "<svg onload=alert(1)><p>Hi</p>"],
    ["math with href", '<math><mi xlink:href="javascript:alert(1)">x</mi><mtext><img src=x onerror=alert(1)></mtext></math><p>Hi</p>'],
    ["noscript mutation", '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript><p>Hi</p>'],
    ["template", "<template><script>alert(1)</script></template><p>Hi</p>"],
    [
      "form and button",
      '<form action="https://evil.example"><button formaction="javascript:alert(1)">Go</button><input name=x></form><p>Hi</p>',
    ],
    [
      "meta refresh and base",
      '<meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/"><p>Hi</p>',
    ],
    ["link stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css"><p>Hi</p>'],
    ["comment", "<!-- <script>alert(1)</script> --><p>Hi</p>"],
    ["conditional comment", "<!--[if IE]><script>alert(1)</script><![endif]--><p>Hi</p>"],
    ["CDATA", "<![CDATA[<script>alert(1)</script>]]><p>Hi</p>"],
    ["unclosed attribute", '<p title="x onmouseover=alert(1)//>Hi'],
    ["attribute breakout", '<a href="https://ok.example/" onclick="alert(1)" x="y>"z">Hi</a>'],
    ["video and audio", "<video src=x onerror=alert(1)></video><audio src=x onerror=alert(1)></audio><p>Hi</p>"],
  ];

  it.each(hostile)("%s renders harmlessly", (_name, raw) => {
    const out = html(raw);
    expectHarmless(out);
    expect(out).not.toMatch(/alert\(|msgbox/);
  });

  it("refused links do not leave the next link open", () => {
    const out = html(
      '<ul><li><a href="javascript:x()">one</a></li><li><a href="data:,x">two</a></li><li><a href="https://ok.example/">three</a></li></ul><p>after</p>',
    );
    expect(out).toBe(
      `<ul><li><span>one</span></li><li><span>two</span></li><li><a href="https://ok.example/" rel="${REL_EXTERNAL}">three</a></li></ul><p>after</p>`,
    );
    expectHarmless(out);
    expectHarmless(
      html(
        '<a href="javascript:x()">a</a><a href="https://ok.example/">b</a><a href="http://x">c</a><a href="https://ok.example/">d</a> tail',
      ),
    );
  });

  it("the sandbox's hostile description renders harmlessly, its text kept", () => {
    const out = html(HOSTILE_DESCRIPTION_HTML);
    expectHarmless(out);
    expect(out).not.toContain("__hostileDescriptionRan");
    expect(out).toContain("hostile on purpose");
    expect(out.match(/<a /g)).toHaveLength(1);
    expect(out).toMatch(/<a [^>]*>An https link to Coursera<\/a><\/li><\/ul><p>Unclosed/);
  });

  it("keeps the readable text around hostile markup", () => {
    expect(html("<p>Before</p><script>alert(1)</script><p>After</p>")).toBe("<p>Before</p><p>After</p>");
    expect(html('<p><a href="javascript:alert(1)">Click me</a> please</p>')).toBe("<p><span>Click me</span> please</p>");
    expect(html('<img src=x onerror="alert(1)">Welcome')).toBe("Welcome");
  });

  it("is empty when only hostile or empty markup is left", () => {
    expect(describeDescription("<script>alert(1)</script><style>p{}</style>")).toEqual({ kind: "empty" });
    expect(describeDescription("<p> </p><p></p>")).toEqual({ kind: "empty" });
  });
});

describe("describeDescription: plain text", () => {
  it("keeps plain text as text, with its line breaks", () => {
    expect(describeDescription("First line.\nSecond line.\n\nNew paragraph.")).toEqual({
      kind: "text",
      text: "First line.\nSecond line.\n\nNew paragraph.",
    });
  });

  it("does not mistake angle brackets and ampersands in prose for HTML", () => {
    for (const text of ["Use List<T> and Map<K, V> in Java", "if a<b and b>c then a<c", "Tom & Jerry &amp; friends", "Rate: 5 < 10 > 2"]) {
      expect(describeDescription(text)).toEqual({ kind: "text", text });
    }
  });

  it("is empty for nothing", () => {
    for (const nothing of ["", "   \n ", null, undefined]) expect(describeDescription(nothing)).toEqual({ kind: "empty" });
  });

  it("sees HTML by its real elements, whatever their case", () => {
    expect(looksLikeHtml("<P>Hi</P>")).toBe(true);
    expect(looksLikeHtml("line<br/>break")).toBe(true);
    expect(looksLikeHtml("<script>alert(1)</script>")).toBe(true);
    expect(looksLikeHtml("<!-- x -->")).toBe(true);
    expect(looksLikeHtml("List<T>")).toBe(false);
    expect(looksLikeHtml("<pre-tag> is not pre")).toBe(false);
    expect(looksLikeHtml("<img src=x onerror=alert(1)>")).toBe(true);
    expect(looksLikeHtml("<svg onload=alert(1)>")).toBe(true);
    // An opening tag alone, without attributes, reads as prose: shown as typed, harmlessly.
    expect(describeDescription("<p>Hi")).toEqual({ kind: "text", text: "<p>Hi" });
  });
});

describe("safeHttpsHref", () => {
  it("accepts only absolute https URLs", () => {
    expect(safeHttpsHref("https://www.coursera.org/learn/x")).toBe("https://www.coursera.org/learn/x");
    expect(safeHttpsHref(" HTTPS://WWW.Coursera.org ")).toBe("https://www.coursera.org/");
    for (const bad of [
      "http://x.example",
      "javascript:alert(1)",
      "data:,x",
      "//x.example",
      "/x",
      "https:",
      "https://",
      "",
      undefined,
      "mailto:a@b.c",
    ]) {
      expect(safeHttpsHref(bad), String(bad)).toBeNull();
    }
  });
});

describe("descriptionPlainText", () => {
  it("strips tags, drops hostile content, decodes entities and keeps blocks apart", () => {
    expect(
      descriptionPlainText("<p>Learn <b>SQL</b>.</p><ul><li>one<li>two</ul><script>alert(1)</script><p>Tom &amp; Jerry &lt;3</p>"),
    ).toBe("Learn SQL. one two Tom & Jerry <3");
  });

  it("returns plain text as one line", () => {
    expect(descriptionPlainText("Line one.\n\nLine  two.")).toBe("Line one. Line two.");
  });

  it("cuts at a word boundary with an ellipsis", () => {
    const out = descriptionPlainText("alpha beta gamma delta epsilon", 18);
    expect(out).toBe("alpha beta gamma…");
    expect(out.length).toBeLessThanOrEqual(18);
  });

  it("never returns markup", () => {
    expect(descriptionPlainText('<img src=x onerror=alert(1)><svg onload=alert(1)>x</svg><a href="javascript:alert(1)">link</a>')).toBe(
      "link",
    );
  });
});

describe("sanitizeDescriptionHtml", () => {
  it("is idempotent", () => {
    const once = sanitizeDescriptionHtml('<p>a <a href="https://x.example/">b</a><script>c</script></p><ul><li>d');
    expect(sanitizeDescriptionHtml(once)).toBe(once);
  });
});
