import { withAuth } from "next-auth/middleware";

/**
 * Coarse gate: signed-out visitors are sent to the sign-in page. The real
 * checks (role, platform) happen in every page, action and route handler.
 */
export default withAuth({ pages: { signIn: "/sign-in" } });

export const config = {
  matcher: ["/((?!sign-in|api/auth|api/health|api/inngest|_next/static|_next/image|favicon.ico).*)"],
};
