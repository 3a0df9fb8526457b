import "server-only";
import { env } from "@/lib/env";
import { verifyPassword } from "@/lib/auth/password";
import { signInSchema } from "@/lib/auth/schema";
import { findUserForSignIn } from "@/lib/auth/queries";
import { reserveSignInAttempt, signInSucceeded } from "@/lib/auth/mutations";
import { clientAddress, throttleKeys } from "@/lib/auth/throttle";

// A fixed hash to compare against when the email is unknown, so that response
// times do not reveal which emails have accounts.
const DUMMY_HASH =
  "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";

/**
 * Email and password sign-in (next-auth's credentials provider calls this).
 * null for every failure alike — unknown email, wrong password, too many
 * attempts (lib/auth/throttle.ts) — so the sign-in page says the same thing in
 * each case and takes the same time.
 */
export async function signInWithPassword(
  credentials: unknown,
  headers: Headers | Record<string, string | string[] | undefined>,
): Promise<{ id: string; email: string; name: string } | null> {
  const parsed = signInSchema.safeParse(credentials);
  if (!parsed.success) return null;
  const keys = throttleKeys(parsed.data.email, clientAddress(headers, env().TRUSTED_PROXY_COUNT));
  const attempt = await reserveSignInAttempt(keys);
  // Refused without hashing: a locked key gives an attacker no CPU to burn. Same answer as a wrong password.
  if (attempt.locked) return null;
  const user = await findUserForSignIn(parsed.data.email);
  const ok = await verifyPassword(parsed.data.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !user.passwordHash || !ok) return null;
  await signInSucceeded(attempt.reservation);
  return { id: user.id, email: user.email, name: user.name };
}
