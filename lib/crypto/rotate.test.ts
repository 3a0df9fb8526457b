import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => vi.unstubAllEnvs());

async function modulesWithKeys(current: string, previous?: string) {
  vi.resetModules();
  vi.stubEnv("ENCRYPTION_KEY", current);
  vi.stubEnv("ENCRYPTION_KEY_PREVIOUS", previous ?? "");
  const [secrets, rotate, database] = await Promise.all([
    import("@/lib/crypto/secrets"),
    import("@/lib/crypto/rotate"),
    import("@/lib/db"),
  ]);
  return { ...secrets, ...rotate, db: database.db, disconnectDb: database.disconnectDb };
}

let cleanup: (() => Promise<void>) | undefined;
afterAll(() => cleanup?.());

describe("encryption key rotation", () => {
  it("re-encrypts stored secrets with the new key, keeping their value, and is idempotent", async () => {
    const oldKey = randomBytes(32).toString("base64");
    const newKey = randomBytes(32).toString("base64");
    const before = await modulesWithKeys(oldKey);
    const platform = await before.db.platform.create({ data: { name: "Rotation", slug: `rotation-${randomUUID()}` } });
    const connector = await before.db.courseraConnector.create({
      data: { platformId: platform.id, clientSecretEncrypted: before.encryptSecret("the-secret-value") },
    });
    await before.disconnectDb();

    const during = await modulesWithKeys(newKey, oldKey);
    cleanup = during.disconnectDb;
    const first = await during.reEncryptSecrets();
    expect(first.reEncrypted).toBeGreaterThanOrEqual(1);
    expect(first.unreadable).not.toContain(connector.id);
    const stored = (await during.db.courseraConnector.findUniqueOrThrow({ where: { id: connector.id } })).clientSecretEncrypted!;
    expect(during.needsReEncryption(stored)).toBe(false);
    expect(during.decryptSecret(stored)).toBe("the-secret-value");
    const second = await during.reEncryptSecrets();
    const again = (await during.db.courseraConnector.findUniqueOrThrow({ where: { id: connector.id } })).clientSecretEncrypted!;
    expect(again).toBe(stored);
    expect(second.alreadyCurrent).toBeGreaterThanOrEqual(1);
  });
});
