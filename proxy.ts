import { withAuth } from "next-auth/middleware";

/**
 * Coarse gate for pages: signed-out visitors are sent to the sign-in page and
 * brought back afterwards. The real checks (role, platform) happen in every
 * page, action and route handler. Route handlers under /api are left out: they
 * answer a signed-out caller with a 401 JSON error themselves (a redirect to an
 * HTML page is no answer for a fetch), and on this 2-core machine the proxy was
 * a third of a small JSON route's cost (skills typeahead, 20 connections:
 * 143 → 225 requests/s without it).
 */
export default withAuth({ pages: { signIn: "/sign-in" } });

export const config = {
  matcher: ["/((?!sign-in|api/|_next/static|_next/image|favicon.ico).*)"],
};
