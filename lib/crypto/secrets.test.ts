import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";

// lib/env caches the environment, so each case loads fresh modules with its own keys.
async function withKeys(current: string, previous?: string) {
  vi.resetModules();
  vi.stubEnv("ENCRYPTION_KEY", current);
  vi.stubEnv("ENCRYPTION_KEY_PREVIOUS", previous ?? "");
  return import("@/lib/crypto/secrets");
}

afterEach(() => vi.unstubAllEnvs());

const key = () => randomBytes(32).toString("base64");

describe("secrets at rest", () => {
  it("round-trips and never stores the plaintext", async () => {
    const { encryptSecret, decryptSecret } = await withKeys(key());
    const sealed = encryptSecret("acme-demo-secret-4f9c2b");
    expect(sealed).not.toContain("acme-demo-secret");
    expect(decryptSecret(sealed)).toBe("acme-demo-secret-4f9c2b");
    // A fresh IV each time: equal secrets do not give equal ciphertexts.
    expect(encryptSecret("same")).not.toBe(encryptSecret("same"));
  });

  it("rejects a tampered ciphertext", async () => {
    const { encryptSecret, decryptSecret } = await withKeys(key());
    const parts = encryptSecret("secret").split(":");
    parts[4] = Buffer.from("garbage").toString("base64url");
    expect(() => decryptSecret(parts.join(":"))).toThrow();
  });

  it("keeps reading values sealed with the previous key during a rotation, and says they need re-encryption", async () => {
    const oldKey = key();
    const newKey = key();
    const sealedWithOld = (await withKeys(oldKey)).encryptSecret("rotate me");
    const rotated = await withKeys(newKey, oldKey);
    expect(rotated.decryptSecret(sealedWithOld)).toBe("rotate me");
    expect(rotated.needsReEncryption(sealedWithOld)).toBe(true);
    expect(rotated.needsReEncryption(rotated.encryptSecret("rotate me"))).toBe(false);
    const withoutOld = await withKeys(newKey);
    expect(() => withoutOld.decryptSecret(sealedWithOld)).toThrow(/no longer configured/);
  });

  it("refuses a key that is not 32 bytes", async () => {
    const { encryptSecret } = await withKeys(randomBytes(16).toString("base64"));
    expect(() => encryptSecret("x")).toThrow(/32 bytes/);
  });
});
