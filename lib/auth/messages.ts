/**
 * The one answer to a failed email-and-password sign-in: unknown email, wrong
 * password and a sign-in paused after too many attempts (lib/auth/throttle.ts)
 * all read the same, so the answer tells an attacker nothing.
 */
export const SIGN_IN_FAILED_MESSAGE =
  "That email and password do not match an account. After several failed attempts, sign-in pauses for a few minutes.";
