import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Sign-in brute force (issue 14 #5): failures are counted per account (the
 * email typed, known or not) and per client address, in PostgreSQL, so the
 * limit holds across processes: here a second process (a child running the
 * same credentials provider) makes the failures and this one is refused. A
 * locked sign-in is answered exactly like a wrong password.
 */

const run = promisify(execFile);
const ROOT = process.cwd();
const tag = randomUUID().slice(0, 8);
const PASSWORD = `right-${tag}`;
let emails: { victim: string; other: string; fresh: string };

beforeAll(async () => {
  const { db } = await import("@/lib/db");
  const { hashPassword } = await import("@/lib/auth/password");
  const platform = await db.platform.create({ data: { name: `Throttle ${tag}`, slug: `throttle-${tag}` } });
  const passwordHash = await hashPassword(PASSWORD);
  const user = async (name: string) =>
    (
      await db.user.create({
        data: { email: `${name}-${tag}@throttle.test`, name, role: "LEARNER", platformId: platform.id, passwordHash },
      })
    ).email;
  emails = { victim: await user("victim"), other: await user("other"), fresh: await user("fresh") };
});

afterAll(async () => {
  await (await import("@/lib/db")).disconnectDb();
});

/** Sign-in attempts made by another process (its own database pool, its own memory). */
async function inAnotherProcess(attempts: { email: string; password: string; address: string }[]): Promise<number> {
  const { stdout } = await run(
    path.join(ROOT, "node_modules/.bin/tsx"),
    ["--conditions=react-server", "lib/auth/sign-in-attempts.fixtures.ts", JSON.stringify({ attempts })],
    { cwd: ROOT, env: process.env, timeout: 120_000 },
  );
  return (JSON.parse(stdout) as { signedIn: number }).signedIn;
}

const address = (n: number) => `198.51.100.${n}`;

/** An attempt in this process, through next-auth's credentials provider as the sign-in route calls it. */
async function attemptSignIn(attempt: { email: string; password: string; address: string }): Promise<boolean> {
  const { authOptions } = await import("@/lib/auth/options");
  const provider = authOptions().providers.find((p) => p.id === "credentials") as unknown as {
    options: { authorize: (credentials: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown> };
  };
  const user = await provider.options.authorize(
    { email: attempt.email, password: attempt.password },
    { headers: { "x-forwarded-for": attempt.address } },
  );
  return user !== null && user !== undefined;
}

describe("sign-in throttling, shared by every process", { timeout: 240_000 }, () => {
  it("80 wrong passwords, then the right one: refused, in this process and in another, from any address", async () => {
    for (let i = 0; i < 80; i++) await attemptSignIn({ email: emails.victim, password: `guess-${i}`, address: address(1) });
    expect(await attemptSignIn({ email: emails.victim, password: PASSWORD, address: address(2) })).toBe(false);
    expect(await inAnotherProcess([{ email: emails.victim, password: PASSWORD, address: address(5) }])).toBe(0);
    expect(await attemptSignIn({ email: emails.victim.toUpperCase(), password: PASSWORD, address: address(3) })).toBe(false);
    // Another account is not affected from a clean address.
    expect(await attemptSignIn({ email: emails.other, password: PASSWORD, address: address(4) })).toBe(true);
  });

  it("failures made by another process lock the account here", async () => {
    const wrong = Array.from({ length: 12 }, (_, i) => ({ email: emails.other, password: `guess-${i}`, address: address(20 + i) }));
    expect(await inAnotherProcess(wrong)).toBe(0);
    expect(await attemptSignIn({ email: emails.other, password: PASSWORD, address: address(40) })).toBe(false);
  });

  it("many accounts tried from one address lock that address, not the accounts elsewhere", async () => {
    const spray = Array.from({ length: 24 }, (_, i) => ({
      email: `nobody-${i}-${tag}@throttle.test`,
      password: "x",
      address: address(10),
    }));
    expect(await inAnotherProcess(spray)).toBe(0);
    expect(await attemptSignIn({ email: emails.fresh, password: PASSWORD, address: address(10) })).toBe(false);
    expect(await attemptSignIn({ email: emails.fresh, password: PASSWORD, address: address(11) })).toBe(true);
  });

  it("an address is read from X-Forwarded-For's last entry (the one our proxy appended), never the ones a client prepends", async () => {
    // The spraying address, hidden behind forged entries a client put first: still the same address.
    expect(await attemptSignIn({ email: emails.fresh, password: PASSWORD, address: `203.0.113.9, 10.0.0.1, ${address(10)}` })).toBe(false);
    expect(await attemptSignIn({ email: emails.fresh, password: PASSWORD, address: `${address(10)}, 203.0.113.10` })).toBe(true);
  });

  it("delays grow with each failure past the free ones, up to a cap", async () => {
    const { reserveSignInAttempt } = await import("@/lib/auth/mutations");
    const { SIGN_IN_THROTTLE } = await import("@/lib/auth/throttle");
    const key = [{ kind: "ACCOUNT" as const, subject: `growth-${tag}@throttle.test` }];
    let now = Date.UTC(2026, 11, 2, 9);
    const delays: number[] = [];
    for (let i = 0; i < SIGN_IN_THROTTLE.ACCOUNT.freeFailures + 12; i++) {
      const attempt = await reserveSignInAttempt(key, new Date(now));
      if (attempt.locked) throw new Error(`attempt ${i + 1} was refused`);
      delays.push(attempt.delayMs);
      // The next attempt comes just after the lock ends.
      now += attempt.delayMs + 1;
    }
    const free = SIGN_IN_THROTTLE.ACCOUNT.freeFailures;
    expect(delays.slice(0, free - 1).every((d) => d === 0)).toBe(true);
    for (let i = free; i < delays.length; i++)
      expect(delays[i]).toBeGreaterThanOrEqual(Math.min(delays[i - 1] * 2, SIGN_IN_THROTTLE.maxDelayMs));
    expect(Math.max(...delays)).toBe(SIGN_IN_THROTTLE.maxDelayMs);
    // An attempt during a lock is refused, and counted: the lock does not get shorter.
    const fresh = [{ kind: "ACCOUNT" as const, subject: `hammer-${tag}@throttle.test` }];
    const t0 = Date.UTC(2026, 11, 2, 10);
    for (let i = 0; i < SIGN_IN_THROTTLE.ACCOUNT.freeFailures; i++) await reserveSignInAttempt(fresh, new Date(t0 + i));
    expect(await reserveSignInAttempt(fresh, new Date(t0 + 100))).toEqual({ locked: true });
    const { db } = await import("@/lib/db");
    const row = await db.signInThrottle.findUniqueOrThrow({ where: { kind_subject: { kind: "ACCOUNT", subject: fresh[0].subject } } });
    expect(row.failures).toBe(SIGN_IN_THROTTLE.ACCOUNT.freeFailures + 1);
    expect(row.lockedUntil!.getTime()).toBe(t0 + 100 + SIGN_IN_THROTTLE.firstDelayMs * 2);
  });

  it("unlocking the account lets its owner in again; the unlock is audited", async () => {
    const { db } = await import("@/lib/db");
    const { unlockAccount } = await import("@/lib/auth/mutations");
    const victim = await db.user.findUniqueOrThrow({ where: { email: emails.victim } });
    const admin = { id: "admin-id", email: `admin-${tag}@throttle.test` };
    expect(await unlockAccount({ platformId: victim.platformId, userId: victim.id, actor: admin })).toEqual({ ok: true, unlocked: true });
    expect(await attemptSignIn({ email: emails.victim, password: PASSWORD, address: address(2) })).toBe(true);
    expect(await db.auditLog.count({ where: { action: "account.unlocked", targetId: victim.id } })).toBe(1);
    // Another platform's user is not this platform's to unlock.
    expect(await unlockAccount({ platformId: "another-platform", userId: victim.id, actor: admin })).toMatchObject({ ok: false });
  });
});
