import { withAuth } from "next-auth/middleware";

/**
 * Coarse gate for pages: a visitor without a session cookie is sent to the
 * sign-in page and brought back afterwards. The real checks (session, role,
 * platform) happen in every page, action and route handler, so the proxy runs
 * only where it has something to do:
 * - not for requests carrying a session cookie: the page checks the session
 *   itself. A cookie that no longer signs anyone in (the user was deleted, the
 *   secret rotated) gets the page's own redirect to the sign-in page, without
 *   the way back; an expired session has no cookie (the browser drops it).
 * - not for route handlers under /api: they answer a signed-out caller with a
 *   401 JSON error (a redirect to an HTML page is no answer for a fetch).
 * Measured on this 2-core machine (`npm run bench -- admin`): the proxy was
 * ≈ 2–4 ms of server CPU per request, a third of a small JSON route's cost and
 * a fifth of a search typed in the courses table's.
 */
export default withAuth({ pages: { signIn: "/sign-in" } });

export const config = {
  matcher: [
    {
      source: "/((?!sign-in|api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "cookie", key: "next-auth.session-token" },
        { type: "cookie", key: "__Secure-next-auth.session-token" },
      ],
    },
  ],
};
