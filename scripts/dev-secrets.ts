import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * The embedded default generates its own secrets once and keeps them in
 * .data/ (ignored by git), so that encrypted values and sessions survive a
 * restart. Production sets NEXTAUTH_SECRET and ENCRYPTION_KEY itself.
 */
export async function loadDevSecrets(dataDir: string): Promise<{ NEXTAUTH_SECRET: string; ENCRYPTION_KEY: string }> {
  const file = path.join(dataDir, "dev-secrets.json");
  if (existsSync(file)) return JSON.parse(await readFile(file, "utf8"));
  const secrets = { NEXTAUTH_SECRET: randomBytes(32).toString("base64url"), ENCRYPTION_KEY: randomBytes(32).toString("base64") };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
