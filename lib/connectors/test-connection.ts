import "server-only";
import { courseraClientFor } from "@/lib/connectors/coursera-client";
import type { TestConnectionField } from "@/lib/coursera/client";
import { credentialsSchema, fieldErrors, type CredentialsInput } from "@/lib/connectors/schema";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { checkOrgAvailable } from "@/lib/connectors/org-sharing";

export type ConnectionCheck =
  | { ok: true; sampleCount: number; total: number | null }
  | {
      ok: false;
      code: string;
      /** The form field the admin has to fix, or "form" when the problem is not theirs to fix in a field. */
      field: "orgId" | "clientId" | "clientSecret" | "form";
      message: string;
      fieldErrors?: Record<string, string>;
    };

const FIELD_OF: Record<TestConnectionField, "orgId" | "clientSecret" | "form"> = {
  orgId: "orgId",
  // Coursera answers 401 for either a wrong client id or a wrong secret and cannot tell which.
  clientCredentials: "clientSecret",
  apiAccess: "form",
  network: "form",
};

/**
 * Resolves the credentials a form submitted: a blank secret means the stored
 * one, decrypted here in memory and never returned.
 */
export async function resolveCredentials(
  platformId: string,
  input: CredentialsInput,
): Promise<
  { ok: true; orgId: string; clientId: string; clientSecret: string; secretFromForm: boolean } | Extract<ConnectionCheck, { ok: false }>
> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    const field = (Object.keys(errors)[0] ?? "form") as "orgId" | "clientId" | "clientSecret" | "form";
    return { ok: false, code: "INVALID_INPUT", field, message: errors[field] ?? "Check the highlighted fields.", fieldErrors: errors };
  }
  const { orgId, clientId, clientSecret } = parsed.data;
  if (clientSecret) return { ok: true, orgId, clientId, clientSecret, secretFromForm: true };
  const stored = await db.courseraConnector.findUnique({ where: { platformId }, select: { clientSecretEncrypted: true } });
  if (!stored?.clientSecretEncrypted) {
    const message = "Enter the client secret.";
    return { ok: false, code: "SECRET_REQUIRED", field: "clientSecret", message, fieldErrors: { clientSecret: message } };
  }
  return { ok: true, orgId, clientId, clientSecret: decryptSecret(stored.clientSecretEncrypted), secretFromForm: false };
}

/**
 * "Test connection": asks Coursera for a token and one page of the catalogue
 * with the submitted values (or the stored secret when the field is blank),
 * and says precisely what is wrong.
 */
export async function testConnection(
  platformId: string,
  input: CredentialsInput,
  options: { canAllowSharedOrg?: boolean } = {},
): Promise<ConnectionCheck> {
  const resolved = await resolveCredentials(platformId, input);
  if (!resolved.ok) return resolved;
  // Another platform's organisation is not tested either: the answer would tell its size to a stranger.
  const available = await checkOrgAvailable({ platformId, orgId: resolved.orgId, canAllowSharedOrg: options.canAllowSharedOrg === true });
  if (!available.ok)
    return { ok: false, code: available.code, field: "orgId", message: available.message, fieldErrors: available.fieldErrors };
  return checkCredentials(resolved);
}

export async function checkCredentials(credentials: { orgId: string; clientId: string; clientSecret: string }): Promise<ConnectionCheck> {
  const client = courseraClientFor(credentials);
  const result = await client.testConnection();
  if (result.ok) return { ok: true, sampleCount: result.sampleCount, total: result.total };
  const field = FIELD_OF[result.field] ?? "form";
  return {
    ok: false,
    code: result.code,
    field,
    message: result.message,
    fieldErrors: field === "form" ? undefined : { [field]: result.message },
  };
}
