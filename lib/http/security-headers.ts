import { courseraCspSources } from "@/lib/coursera/urls";

/**
 * The Content-Security-Policy of every page (set by proxy.ts, with a fresh
 * nonce per request; the headers every response carries are in
 * next.config.js). Next.js reads the nonce from the policy on the request and
 * puts it on its own scripts; 'strict-dynamic' lets those load the page's
 * chunks, and nothing else runs: no inline script without the nonce, no
 * eval (React needs it only in development, for its error overlays).
 *
 * Styles allow inline: React's style attributes (Recharts, Radix, sonner)
 * cannot carry a nonce, and a style cannot run script.
 * Images: our own, data: URLs (icons), and Coursera's image hosts (the same
 * allow-list as the sync, lib/coursera/urls.ts). Forms: our own, and Coursera's
 * launch pages — START answers its form with a redirect there, and browsers
 * apply form-action to where a form's redirects lead.
 */
export function contentSecurityPolicy(input: { nonce: string; development: boolean; linkOrigins: readonly string[] }): string {
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${input.nonce}'`, "'strict-dynamic'", ...(input.development ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:", ...courseraCspSources("image", input.linkOrigins)],
    ["font-src", "'self'"],
    ["connect-src", "'self'"],
    ["form-action", "'self'", ...courseraCspSources("launch", input.linkOrigins)],
    ["frame-ancestors", "'none'"],
    ["frame-src", "'none'"],
    ["object-src", "'none'"],
    ["base-uri", "'none'"],
    ["manifest-src", "'self'"],
    ["worker-src", "'self'"],
  ];
  return directives.map((d) => d.join(" ")).join("; ");
}

/** 128 random bits, base64: unguessable, and fresh for every page request. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
