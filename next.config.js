/** @type {import('next').NextConfig} */

const production = process.env.NODE_ENV === "production";

/**
 * Headers on every response. The pages' Content-Security-Policy carries a
 * per-request nonce and is set by proxy.ts (lib/http/security-headers.ts); the
 * route handlers under /api answer JSON or CSV (and next-auth's few forms), so
 * theirs is fixed here.
 */
const everywhere = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  {
    key: "Permissions-Policy",
    value:
      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=(), browsing-topics=(), interest-cohort=()",
  },
  // Production is served over https (behind the load balancer); browsers ignore the header over http.
  ...(production ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
];

const apiPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const nextConfig = {
  // The dev-supervision test runs its own `next dev` next to the developer's (scripts/dev-supervision.test.ts).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled (native-ish or large, loaded at run time).
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg", "pg-copy-streams"],
  experimental: {
    // forbidden() / unauthorized(): a learner asking for an admin page gets a real 403 page.
    authInterrupts: true,
    // No Turbopack cache on disk between `next dev` runs. With it, a dev server started on an earlier
    // run's cache could reload every page in a loop: its first update for the browser's chunk list
    // was a "restart" (reload) of a list the cache still held unchanged, so the reloaded page got
    // the same list and the same answer ("HMR hash mismatch"). Each start compiles from scratch
    // instead (the main pages: ≈ 23 s in the background rather than ≈ 8 s).
    turbopackFileSystemCacheForDev: false,
  },
  logging: {
    // Next.js logs every server action call with its arguments in development: the Coursera client
    // secret typed into the connector form would be written to the terminal in clear.
    serverFunctions: false,
    // Nor are the browser's console messages copied to the server's log (they may quote form values).
    browserToTerminal: false,
  },
  async headers() {
    return [
      { source: "/:path*", headers: everywhere },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: apiPolicy }] },
    ];
  },
};

export default nextConfig;
