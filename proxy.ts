import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { contentSecurityPolicy, newNonce } from "@/lib/http/security-headers";

/**
 * Runs for every page request (not for /api route handlers, static assets, or
 * the router's prefetches and client navigations, which are data, not
 * documents). It does the three things only a proxy can do before Next.js
 * renders:
 * - refuses a URL holding NUL (which PostgreSQL refuses in text), or a path
 *   that is not valid percent-encoded UTF-8, with a 400, before any page's
 *   params can carry it to a query; pages clean or refuse the rest of what
 *   their parameters hold (lib/input/text.ts);
 * - gives each page its Content-Security-Policy with a fresh nonce, on the
 *   request (Next.js reads the nonce from it for its own scripts) and on the
 *   response (lib/http/security-headers.ts);
 * - sends a visitor without a session cookie to the sign-in page, with the way
 *   back. A cookie is not checked here: every page, action and route handler
 *   checks the session itself, and verifying the JWT here would be paid twice
 *   per request. (This replaces next-auth's withAuth, which did exactly that
 *   redirect and nothing more for a request without a cookie.)
 * Measured (README, known limits): see the commit that added the CSP.
 */

const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];
// NUL, percent-encoded or raw (a client can send it unencoded).
const UNSAFE_URL = /%00|\u0000/;

export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  if (UNSAFE_URL.test(request.url) || !decodable(pathname)) {
    return new NextResponse("Bad request: the address contains characters it cannot contain.", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }

  const signedOut = !SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (signedOut && pathname !== "/sign-in" && (request.method === "GET" || request.method === "HEAD")) {
    const signIn = new URL("/sign-in", request.url);
    if (pathname !== "/") signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(signIn);
  }

  const e = env();
  const policy = contentSecurityPolicy({
    nonce: newNonce(),
    development: e.NODE_ENV === "development",
    linkOrigins: e.COURSERA_ALLOWED_LINK_ORIGINS,
  });
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      // Prefetches and client-side navigations fetch the page's data (RSC), not a document: no policy to apply.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "rsc" },
      ],
    },
  ],
};
