import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { env } from "@/lib/env";
import { getSessionUser } from "@/lib/auth/session";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { SignInForm } from "./_components/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  if (await getSessionUser()) redirect("/");
  const { callbackUrl, error } = await searchParams;
  // Only paths of our own origin, whatever the encoding: an open redirect after sign-in would be a phishing aid.
  const safeCallback = safeCallbackPath(callbackUrl);
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">Sign in</h1>
        <p className="mt-1 text-sm text-slate-600">Coursera connector for your learning platform.</p>
        <SignInForm
          callbackUrl={safeCallback}
          ssoName={env().oidcEnabled ? env().OIDC_NAME : null}
          initialError={error ? "Sign-in failed. Check your email and password, or ask your administrator for access." : null}
        />
      </div>
    </main>
  );
}
