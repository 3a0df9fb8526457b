import "server-only";
import { env } from "@/lib/env";

/**
 * Whether a state-changing request that is not a server action (START, a
 * route handler answering POST) was sent by our own pages, as Next.js checks
 * for server actions: the browser's `Sec-Fetch-Site` must say same-origin and
 * its `Origin` must be this application's. SameSite=Lax alone is not enough: it
 * sends the session cookie with a POST from another origin of the same site
 * (another port of the host, a sibling subdomain).
 *
 * A request carrying neither header did not come from a browser's own form or
 * fetch (every browser we support sends Origin with a POST), and is refused.
 * This application's origin is the host the request was addressed to (as
 * Next.js reads it: X-Forwarded-Host from a trusted proxy, else Host), or the
 * public URL in NEXTAUTH_URL.
 */
export function isSameOriginRequest(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return false;
  const origin = request.headers.get("origin");
  if (origin === null) return site === "same-origin";
  let originHost: string;
  try {
    const parsed = new URL(origin);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
    originHost = parsed.host;
  } catch {
    return false; // "null" (sandboxed frames, data: URLs) and anything unreadable
  }
  return ownHosts(request).includes(originHost);
}

function ownHosts(request: Request): string[] {
  const hosts: string[] = [];
  const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const host = forwarded || request.headers.get("host") || new URL(request.url).host;
  if (host) hosts.push(host.toLowerCase());
  const publicUrl = env().NEXTAUTH_URL;
  if (publicUrl) {
    try {
      hosts.push(new URL(publicUrl).host);
    } catch {
      // NEXTAUTH_URL is validated where it is used by next-auth; an unreadable one adds nothing here.
    }
  }
  return hosts;
}
