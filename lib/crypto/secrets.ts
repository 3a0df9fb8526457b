import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { env, requireEnv } from "@/lib/env";

/**
 * AES-256-GCM for secrets at rest (the Coursera client secret).
 * Format: `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts). The key id is
 * a short fingerprint of the key, so rotation can tell which key wrote a value:
 * set ENCRYPTION_KEY to the new key and ENCRYPTION_KEY_PREVIOUS to the old one,
 * then re-encrypt (lib/crypto/rotate.ts); both keep working in the meantime.
 */

interface Key {
  id: string;
  bytes: Buffer;
}

function parseKey(base64: string, name: string): Key {
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length !== 32) throw new Error(`${name} must be base64 of exactly 32 bytes (got ${bytes.length}).`);
  return { id: createHash("sha256").update(bytes).digest("base64url").slice(0, 8), bytes };
}

function currentKey(): Key {
  return parseKey(requireEnv("ENCRYPTION_KEY"), "ENCRYPTION_KEY");
}

function knownKeys(): Key[] {
  const keys = [currentKey()];
  const previous = env().ENCRYPTION_KEY_PREVIOUS;
  if (previous) keys.push(parseKey(previous, "ENCRYPTION_KEY_PREVIOUS"));
  return keys;
}

export function encryptSecret(plaintext: string, key: Key = currentKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ["v1", key.id, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(":");
}

export function decryptSecret(sealed: string): string {
  const [version, keyId, iv, tag, ciphertext] = sealed.split(":");
  if (version !== "v1" || !keyId || !iv || !tag || ciphertext === undefined) {
    throw new Error("Stored secret has an unknown format.");
  }
  const key = knownKeys().find((k) => k.id === keyId);
  if (!key) throw new Error("Stored secret was encrypted with a key that is no longer configured.");
  const decipher = createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

/** True when the value was sealed with a key other than the current one. */
export function needsReEncryption(sealed: string): boolean {
  return sealed.split(":")[1] !== currentKey().id;
}

export function generateKey(): string {
  return randomBytes(32).toString("base64");
}
