import { describe, expect, it, vi } from "vitest";

/**
 * Open redirect after sign-in (issue 14 #1): whatever `callbackUrl` holds, the
 * browser ends up on our own origin. Checked where a callback from the browser
 * is followed: the sign-in page (the path its form navigates to with
 * router.replace) and next-auth's redirect callback (single sign-on, sign-out).
 * The navigation target is resolved with the WHATWG URL parser, as the browser
 * resolves it (backslashes become slashes, tabs and newlines are dropped…).
 */

vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), getServerSession: async () => null }));

const ORIGIN = "https://connector.example";

// Each of these, followed naively, leaves our origin (or runs script).
const HOSTILE = [
  "https://evil.example/x",
  "http://evil.example",
  "//evil.example/x",
  "///evil.example/x",
  "/\\evil.example/x",
  "\\\\evil.example/x",
  "/\\/evil.example",
  "/\t/evil.example/x",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  " //evil.example",
  "/%5Cevil.example/x",
  "/%5cevil.example",
  "/%2F%2Fevil.example",
  "%2F%2Fevil.example",
  "/%09/evil.example",
  "/%0a/evil.example",
  "/%255Cevil.example",
  "/%252F%252Fevil.example",
  "/%25252F%25252Fevil.example",
  "/.//evil.example/x",
  "/a/..//evil.example",
  "/./\\evil.example",
  "//@evil.example",
  "/\\@evil.example",
  "https://connector.example@evil.example/x",
  "https://connector.example.evil.example/x",
  "javascript:alert(document.domain)",
  "JaVaScRiPt:alert(1)",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "／／evil.example",
  "/／evil.example",
  "/\u3002evil.example",
  "\u2215\u2215evil.example",
  "/\u0000/evil.example",
  "/\u202e//evil.example",
  "ftp://evil.example",
  "https:evil.example",
  "https:/evil.example",
];

// Our own paths, which must survive (the proxy and START build these).
const LEGIT: [string, string][] = [
  ["/", "/"],
  ["/p/cabc123/courses?q=python&type=COURSE", "/p/cabc123/courses?q=python&type=COURSE"],
  ["/learn/courses/cabc123", "/learn/courses/cabc123"],
  ["/p/c1/unmatched?q=ada@acme.test", "/p/c1/unmatched?q=ada@acme.test"],
  ["/learn?q=caf%C3%A9", "/learn?q=caf%C3%A9"],
];

function landsOn(path: string): URL {
  return new URL(path, `${ORIGIN}/sign-in?callbackUrl=x`);
}

async function signInPageTarget(callbackUrl: string): Promise<string> {
  const { default: SignInPage } = await import("@/app/sign-in/page");
  const tree = (await SignInPage({ searchParams: Promise.resolve({ callbackUrl }) })) as { props: { children: unknown } };
  // <main><div>…<SignInForm callbackUrl=…/></div></main>: find the form's props wherever it sits.
  const find = (node: unknown): string | null => {
    if (!node || typeof node !== "object") return null;
    const props = (node as { props?: Record<string, unknown> }).props;
    if (props && typeof props.callbackUrl === "string") return props.callbackUrl;
    const children = props?.children;
    for (const child of Array.isArray(children) ? children : [children]) {
      const found = find(child);
      if (found !== null) return found;
    }
    return null;
  };
  const target = find(tree);
  if (target === null) throw new Error("the sign-in form was not rendered");
  return target;
}

async function nextAuthTarget(url: string): Promise<string> {
  const { authOptions } = await import("@/lib/auth/options");
  const redirect = authOptions().callbacks?.redirect;
  if (!redirect) throw new Error("no redirect callback: next-auth's default follows /\\evil.example");
  return redirect({ url, baseUrl: ORIGIN });
}

describe("a callback URL from the browser never leaves our origin", () => {
  it.each(HOSTILE)("sign-in page: %j", async (hostile) => {
    const target = await signInPageTarget(hostile);
    expect(landsOn(target).origin).toBe(ORIGIN);
    expect(target.startsWith("/") && !target.startsWith("//")).toBe(true);
    expect(target).not.toMatch(/[\\\u0000-\u001f\u007f]/);
  });

  it.each(HOSTILE)("next-auth redirect callback: %j", async (hostile) => {
    const target = await nextAuthTarget(hostile);
    expect(new URL(target).origin).toBe(ORIGIN);
    expect(new URL(target).protocol).toBe("https:");
  });

  it.each(LEGIT)("our own path %j is kept", async (path, expected) => {
    expect(await signInPageTarget(path)).toBe(expected);
    expect(await nextAuthTarget(path)).toBe(`${ORIGIN}${expected}`);
  });

  it("next-auth's absolute URLs of our own origin keep their path", async () => {
    expect(await nextAuthTarget(`${ORIGIN}/p/c1/syncs?kind=CATALOGUE`)).toBe(`${ORIGIN}/p/c1/syncs?kind=CATALOGUE`);
    expect(await nextAuthTarget(ORIGIN)).toBe(`${ORIGIN}/`);
  });
});
