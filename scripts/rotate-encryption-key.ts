/** `npm run rotate-key`: re-encrypts stored secrets with ENCRYPTION_KEY (see lib/crypto/rotate.ts). */
import { disconnectDb } from "@/lib/db";
import { reEncryptSecrets } from "@/lib/crypto/rotate";

const result = await reEncryptSecrets();
console.log(`Re-encrypted ${result.reEncrypted} secret(s); ${result.alreadyCurrent} already used the current key.`);
if (result.unreadable.length > 0) {
  console.error(
    `No configured key opens the secret of connector(s) ${result.unreadable.join(", ")}: their admins must re-enter the credentials.`,
  );
  process.exitCode = 1;
}
await disconnectDb();
