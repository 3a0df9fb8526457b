import "server-only";
import { db } from "@/lib/db";
import { decryptSecret, encryptSecret, needsReEncryption } from "@/lib/crypto/secrets";

/**
 * Re-encrypts every stored Coursera client secret with the current key.
 * Rotation without downtime: deploy with ENCRYPTION_KEY=<new> and
 * ENCRYPTION_KEY_PREVIOUS=<old> (both readable), run this, then drop the old key.
 * Each row is swapped only if it still holds the value that was read, so a
 * secret an admin replaces meanwhile is never overwritten.
 */
export async function reEncryptSecrets(): Promise<{ reEncrypted: number; alreadyCurrent: number; unreadable: string[] }> {
  const connectors = await db.courseraConnector.findMany({
    where: { clientSecretEncrypted: { not: null } },
    select: { id: true, clientSecretEncrypted: true },
  });
  let reEncrypted = 0;
  let alreadyCurrent = 0;
  // Connectors whose secret no configured key opens: reported, never fatal, so one bad row does not block the rotation.
  const unreadable: string[] = [];
  for (const c of connectors) {
    const sealed = c.clientSecretEncrypted!;
    if (!needsReEncryption(sealed)) {
      alreadyCurrent++;
      continue;
    }
    let plaintext: string;
    try {
      plaintext = decryptSecret(sealed);
    } catch {
      unreadable.push(c.id);
      continue;
    }
    const { count } = await db.courseraConnector.updateMany({
      where: { id: c.id, clientSecretEncrypted: sealed },
      data: { clientSecretEncrypted: encryptSecret(plaintext) },
    });
    reEncrypted += count;
  }
  return { reEncrypted, alreadyCurrent, unreadable };
}
