import "server-only";
import { isIP } from "node:net";

/**
 * Sign-in brute-force limits (issue 14 #5). Failures are counted per account
 * (the email typed, whether or not it has an account, so a lock reveals
 * nothing) and per client address, in PostgreSQL (SignInThrottle), so every web
 * process shares them. Past a few free failures, each failure locks the key for
 * a delay that doubles, up to a cap; an attempt while a key is locked is
 * refused before the password is looked at, and counts too (hammering a lock
 * makes it longer). A success
 * clears the account's count; an address's count only expires (one valid
 * account must not let an attacker reset the address they spray from).
 * Locked, unknown and wrong all get the same answer.
 *
 * An admin (their platform's users) or a CSM unlocks an account from the
 * platform overview page (CSMs: staff accounts on the platforms page);
 * address locks expire on their own (at most maxDelayMs).
 */
export const SIGN_IN_THROTTLE = {
  ACCOUNT: { freeFailures: 5, forgetAfterMs: 24 * 60 * 60_000 },
  // An office behind one address signs in many people: more room before delays start.
  ADDRESS: { freeFailures: 20, forgetAfterMs: 60 * 60_000 },
  firstDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
} as const;

export type ThrottleKind = "ACCOUNT" | "ADDRESS";
export interface ThrottleKey {
  kind: ThrottleKind;
  subject: string;
}

/** How long a key is locked after its `failures`-th failure: 0 while free, then 1 s, 2 s, 4 s… up to the cap. */
export function lockDelayMs(kind: ThrottleKind, failures: number): number {
  const free = SIGN_IN_THROTTLE[kind].freeFailures;
  if (failures < free) return 0;
  return Math.min(SIGN_IN_THROTTLE.maxDelayMs, SIGN_IN_THROTTLE.firstDelayMs * 2 ** Math.min(30, failures - free));
}

/**
 * The client's address as our own infrastructure saw it. Every reverse proxy in
 * front of the app appends the address it received the connection from to
 * X-Forwarded-For, so the trustworthy entry is the one `trustedProxies` places
 * from the right end (1: the last entry, the default for one load balancer);
 * anything to its left was written by the client and is ignored. Without a
 * proxy, Next.js writes the connection's address into the header when the
 * client sent none. IPv6 addresses count per /64 (one customer's block).
 */
export function clientAddress(headers: Headers | Record<string, string | string[] | undefined>, trustedProxies: number): string | null {
  const raw = headers instanceof Headers ? headers.get("x-forwarded-for") : headers["x-forwarded-for"];
  const value = Array.isArray(raw) ? raw.join(",") : raw;
  if (!value) return null;
  const entries = value.split(",").map((e) => e.trim());
  const entry = entries[entries.length - Math.max(1, trustedProxies)];
  return entry ? normaliseAddress(entry) : null;
}

function normaliseAddress(entry: string): string | null {
  let address = entry.replace(/^\[(.*)\](?::\d+)?$/, "$1");
  if (isIP(address) === 0 && /^[\d.]+:\d+$/.test(address)) address = address.replace(/:\d+$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) address = mapped[1];
  const version = isIP(address);
  if (version === 4) return address;
  if (version === 6) return `${expandIpv6(address).slice(0, 4).join(":")}::/64`;
  return null;
}

function expandIpv6(address: string): string[] {
  const [head, tail = ""] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = Array.from({ length: Math.max(0, 8 - left.length - right.length) }, () => "0");
  return [...left, ...(address.includes("::") ? zeros : []), ...right].map((part) => part.replace(/^0+(?=.)/, ""));
}

export function throttleKeys(email: string, address: string | null): ThrottleKey[] {
  const keys: ThrottleKey[] = [{ kind: "ACCOUNT", subject: email.trim().toLowerCase() }];
  if (address) keys.push({ kind: "ADDRESS", subject: address });
  return keys;
}
