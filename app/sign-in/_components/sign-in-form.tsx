"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { signInSchema, type SignInInput } from "@/lib/auth/schema";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { SIGN_IN_FAILED_MESSAGE } from "@/lib/auth/messages";
import { Button } from "@/components/button";
import { TextField } from "@/components/text-field";

export function SignInForm({
  callbackUrl,
  ssoName,
  initialError,
}: {
  callbackUrl: string;
  ssoName: string | null;
  initialError: string | null;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const form = useForm<SignInInput>({ resolver: zodResolver(signInSchema), defaultValues: { email: "", password: "" } });

  async function onSubmit(values: SignInInput) {
    setError(null);
    const result = await signIn("credentials", { ...values, redirect: false });
    if (!result || result.error) {
      setError(SIGN_IN_FAILED_MESSAGE);
      return;
    }
    // Checked again where it is followed (the page already did): a path of our origin, or "/".
    router.replace(safeCallbackPath(callbackUrl));
    router.refresh();
  }

  return (
    <div className="mt-6 space-y-4">
      {/* method="post": submitted before the page's scripts run, the browser would otherwise put the password in the URL (and the server's log). */}
      <form method="post" onSubmit={form.handleSubmit(onSubmit)} noValidate className="space-y-4">
        <TextField
          label="Email"
          type="email"
          autoComplete="username"
          error={form.formState.errors.email?.message}
          {...form.register("email")}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          error={form.formState.errors.password?.message}
          {...form.register("password")}
        />
        {error && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {error}
          </p>
        )}
        <Button type="submit" className="w-full" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {ssoName && (
        <Button variant="secondary" className="w-full" onClick={() => signIn("oidc", { callbackUrl: safeCallbackPath(callbackUrl) })}>
          Sign in with {ssoName}
        </Button>
      )}
    </div>
  );
}
