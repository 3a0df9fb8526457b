/**
 * A second process for lib/auth/throttle.test.ts: makes sign-in attempts
 * through the function next-auth's credentials provider calls, and prints how
 * many signed in. (next-auth's own module does not load under tsx: the
 * Vitest process goes through the provider itself.) Run with
 *   tsx --conditions=react-server lib/auth/sign-in-attempts.fixtures.ts '<json>'
 * where json is { attempts: { email, password, address }[] }, in the
 * environment of the test (its database).
 */
import { signInWithPassword } from "@/lib/auth/sign-in";
import { disconnectDb } from "@/lib/db";

interface Attempt {
  email: string;
  password: string;
  address: string;
}

/** One attempt as the sign-in route makes it: the credentials and the request's X-Forwarded-For. */
export async function attemptInThisProcess(attempt: Attempt): Promise<boolean> {
  return (await signInWithPassword({ email: attempt.email, password: attempt.password }, { "x-forwarded-for": attempt.address })) !== null;
}

async function main() {
  const { attempts } = JSON.parse(process.argv[2]) as { attempts: Attempt[] };
  let signedIn = 0;
  for (const attempt of attempts) if (await attemptInThisProcess(attempt)) signedIn++;
  await disconnectDb();
  process.stdout.write(JSON.stringify({ signedIn }));
}

if (process.argv[1]?.endsWith("sign-in-attempts.fixtures.ts")) void main();
