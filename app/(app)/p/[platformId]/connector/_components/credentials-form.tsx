"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useEffect, useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Button } from "@/components/button";
import { TextField } from "@/components/text-field";
import { formatNumber } from "@/components/format";
import { credentialsSchema, type CredentialsInput } from "@/lib/connectors/schema";
import { saveCredentialsAction, testConnectionAction } from "../actions";

type Outcome =
  | { kind: "tested"; orgId: string; sampleCount: number; total: number | null }
  | { kind: "saved"; runId: string | null; notice: string | null; changed: boolean };

type Field = keyof CredentialsInput;
const FIELDS: Field[] = ["orgId", "clientId", "clientSecret"];
// Coursera answers the same refusal for a wrong client id and a wrong secret: changing either one
// answers its verdict, so both of them clear it.
const CLEARED_BY: Record<Field, Field[]> = {
  orgId: ["orgId"],
  clientId: ["clientId", "clientSecret"],
  clientSecret: ["clientId", "clientSecret"],
};

/**
 * Coursera credentials. The secret is write-only: the page never has it, the
 * field starts blank, and leaving it blank keeps the stored one.
 */
export function CredentialsForm({
  platformId,
  current,
  enabled,
}: {
  platformId: string;
  current: { orgId: string; clientId: string; secretSet: boolean; secretLast4: string | null };
  enabled: boolean;
}) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<"test" | "save" | null>(null);
  // Offered to a CSM only, after a save refused because another platform uses the organisation.
  const [shareOffered, setShareOffered] = useState(false);
  const [allowSharedOrg, setAllowSharedOrg] = useState(false);
  const form = useForm<CredentialsInput>({
    resolver: zodResolver(credentialsSchema),
    defaultValues: { orgId: current.orgId, clientId: current.clientId, clientSecret: "" },
  });
  const { errors } = form.formState;

  // A server's verdict is about the values it was sent: once the admin changes one of them, the
  // verdict's message goes (the form-level one, and a field's own when that field or its pair changed).
  useEffect(
    () =>
      form.subscribe({
        formState: { values: true },
        callback: ({ name, type }) => {
          // Only the admin's own edits (a reset or a setError carries no event type).
          if (!type || !name || !FIELDS.includes(name as Field)) return;
          if (form.formState.errors.root?.server) form.clearErrors("root.server");
          for (const field of CLEARED_BY[name as Field]) {
            if (form.getFieldState(field).error?.type === "server") form.clearErrors(field);
          }
        },
      }),
    [form],
  );

  /**
   * Shows a refusal in one place: next to the fields it names, or, when it names none (Coursera is
   * unreachable, the API is not enabled), once for the whole form. Never both.
   */
  function showFailure(failure: { message: string; fieldErrors?: Record<string, string> }) {
    const named = Object.entries(failure.fieldErrors ?? {}).filter((entry): entry is [Field, string] => FIELDS.includes(entry[0] as Field));
    if (named.length === 0) {
      form.setError("root.server", { type: "server", message: failure.message });
      return;
    }
    named.forEach(([field, message], i) => form.setError(field, { type: "server", message }, { shouldFocus: i === 0 }));
  }

  const test = form.handleSubmit((values) => {
    setOutcome(null);
    setBusy("test");
    startTransition(async () => {
      const result = await testConnectionAction(platformId, values);
      setBusy(null);
      if (result.ok) {
        setOutcome({ kind: "tested", orgId: values.orgId.trim(), sampleCount: result.sampleCount, total: result.total });
        return;
      }
      showFailure(result);
    });
  });

  const save = form.handleSubmit((values) => {
    setOutcome(null);
    setBusy("save");
    startTransition(async () => {
      const result = await saveCredentialsAction(platformId, { ...values, allowSharedOrg: shareOffered && allowSharedOrg });
      setBusy(null);
      if (!result.ok) {
        if (result.code === "ORG_IN_USE" && result.canAllowSharedOrg) setShareOffered(true);
        showFailure(result);
        return;
      }
      form.reset({ orgId: values.orgId.trim(), clientId: values.clientId.trim(), clientSecret: "" });
      setShareOffered(false);
      setAllowSharedOrg(false);
      setOutcome({ kind: "saved", runId: result.runId, notice: result.syncNotice, changed: result.changed });
      toast.success(result.changed ? "Coursera credentials saved." : "Nothing changed: these are the stored credentials.");
    });
  });

  const secretHint = current.secretSet
    ? `A secret is set (ending in ${current.secretLast4}). Leave blank to keep it.`
    : "Paste the client secret. It is stored encrypted and never shown again.";

  return (
    // method="post": submitted before the page's scripts run, the browser would otherwise put the secret in the URL (and the server's log).
    <form method="post" onSubmit={save} noValidate className="mt-4 max-w-xl space-y-4" aria-describedby="credentials-outcome">
      <TextField label="Organisation id" autoComplete="off" spellCheck={false} error={errors.orgId?.message} {...form.register("orgId")} />
      <TextField label="Client id" autoComplete="off" spellCheck={false} error={errors.clientId?.message} {...form.register("clientId")} />
      <TextField
        label="Client secret"
        type="password"
        autoComplete="new-password"
        spellCheck={false}
        placeholder={current.secretSet ? `•••••••• ${current.secretLast4 ?? ""}` : ""}
        hint={secretHint}
        error={errors.clientSecret?.message}
        {...form.register("clientSecret")}
      />
      {shareOffered && (
        <label className="flex items-start gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <input type="checkbox" className="mt-1" checked={allowSharedOrg} onChange={(event) => setAllowSharedOrg(event.target.checked)} />
          <span>
            Connect anyway: this platform deliberately shares this Coursera organisation with the platform named above. Its admins will see
            that organisation&apos;s learners. Recorded in the audit log of both platforms.
          </span>
        </label>
      )}
      <div className="flex flex-wrap gap-3">
        <Button type="button" variant="secondary" onClick={test} disabled={pending}>
          {busy === "test" ? "Testing…" : "Test connection"}
        </Button>
        <Button type="submit" disabled={pending}>
          {busy === "save" ? "Checking and saving…" : "Save credentials"}
        </Button>
      </div>
      <div id="credentials-outcome" aria-live="polite">
        {outcome?.kind === "tested" && (
          <p className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900" role="status">
            Connection works: Coursera accepted the client id and secret for organisation <strong>{outcome.orgId}</strong>, and its
            catalogue answers
            {outcome.total !== null
              ? ` (${formatNumber(outcome.total)} ${outcome.total === 1 ? "item" : "items"} available to the organisation).`
              : outcome.sampleCount > 0
                ? "."
                : ", though it lists nothing yet."}{" "}
            Nothing is saved until you save the credentials.
          </p>
        )}
        {errors.root?.server && (
          <p className="rounded-md bg-red-50 p-3 text-sm text-red-800" role="alert">
            {errors.root.server.message}
          </p>
        )}
        {outcome?.kind === "saved" && (
          <div className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900" role="status">
            {!outcome.changed ? (
              <p>These are already the stored credentials; nothing changed.</p>
            ) : outcome.runId ? (
              <p>
                Credentials saved. The catalogue sync has started.{" "}
                <Link href={`/p/${platformId}/syncs/${outcome.runId}`} className="font-medium underline">
                  Follow its progress
                </Link>
              </p>
            ) : (
              <p>Credentials saved. {outcome.notice ?? (enabled ? "" : "The catalogue sync will start once the connector is enabled.")}</p>
            )}
          </div>
        )}
      </div>
    </form>
  );
}
