import { z } from "zod";
import { rowIdSchema } from "@/lib/input/text";
import { COURSERA_PATH_ID } from "@/lib/coursera/ids";

/**
 * The forms of the connector page, shared by the form (client validation) and
 * the server action (the real validation).
 */

// The org id is a path segment of every Coursera data call: only Coursera's shape (letters, digits,
// - and _; lib/coursera/ids.ts), so a pasted value can never be "..", another path or a query.
const orgIdSchema = z
  .string()
  .trim()
  .min(1, "Enter the organisation id.")
  .max(100, "The organisation id is at most 100 characters.")
  .regex(COURSERA_PATH_ID, "The organisation id has only letters, digits, dashes and underscores, without spaces.");

// Client ids and secrets are printable ASCII; anything else (spaces, control characters, NUL) is a paste gone wrong.
const clientIdSchema = z
  .string()
  .trim()
  .min(1, "Enter the client id.")
  .max(200, "The client id is at most 200 characters.")
  .regex(/^[\x21-\x7E]+$/, "The client id cannot contain spaces, accented letters or invisible characters.");

/** Blank means "keep the stored secret": the secret is write-only and is never sent back to the browser. */
const clientSecretSchema = z
  .string()
  .trim()
  .max(500, "The client secret is at most 500 characters.")
  .regex(/^[\x21-\x7E]*$/, "The client secret cannot contain spaces, accented letters or invisible characters.");

export const credentialsSchema = z.object({
  orgId: orgIdSchema,
  clientId: clientIdSchema,
  clientSecret: clientSecretSchema,
});

export type CredentialsInput = z.input<typeof credentialsSchema>;
export type Credentials = z.output<typeof credentialsSchema>;

export const syncGroupSchema = z.object({ groupId: rowIdSchema("Choose a group.") });

const REVIEW_FIRST = "Review what the move changes, then confirm.";

/** A move of the synchronized group, confirmed on the summary of its impact (`impact`: that summary's fingerprint). */
export const moveSyncGroupSchema = z.object({ groupId: rowIdSchema("Choose a group."), impact: rowIdSchema(REVIEW_FIRST) });

/** The undo of a move (`auditId`: the move's audit entry), confirmed on the summary of its impact. */
export const undoGroupMoveSchema = z.object({
  auditId: rowIdSchema("This move cannot be undone."),
  impact: rowIdSchema(REVIEW_FIRST),
});

/** Field-level messages of a failed parse, for the inline errors of a form. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}
