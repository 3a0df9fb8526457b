import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { findAuthUserByEmail } from "@/lib/auth/queries";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { safeCallbackPath } from "@/lib/auth/redirect";
import type { Role } from "@/lib/generated/prisma/enums";

function oidcProvider() {
  const e = env();
  if (!e.oidcEnabled) return [];
  return [
    {
      id: "oidc",
      name: e.OIDC_NAME,
      type: "oauth" as const,
      wellKnown: `${e.OIDC_ISSUER!.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      idToken: true,
      checks: ["pkce", "state"] as ("pkce" | "state")[],
      authorization: { params: { scope: "openid email profile" } },
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.email ?? null };
      },
    },
  ];
}

export function authOptions(): NextAuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        // Throttled per account and per client address (lib/auth/throttle.ts); every failure is null alike.
        async authorize(credentials, req) {
          return signInWithPassword(credentials, (req?.headers ?? {}) as Record<string, string>);
        },
      }),
      ...oidcProvider(),
    ],
    callbacks: {
      // Every redirect next-auth makes (after single sign-on, after sign-out) goes to a path of our own origin.
      async redirect({ url, baseUrl }) {
        const origin = new URL(baseUrl).origin;
        return `${origin}${safeCallbackPath(url, origin)}`;
      },
      // SSO never creates accounts: the person must already exist on a platform.
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        return Boolean(user.email && (await findAuthUserByEmail(user.email)));
      },
      async jwt({ token, user, account }) {
        if (user) {
          const known = account?.provider === "oidc" ? await findAuthUserByEmail(user.email ?? "") : null;
          token.userId = known?.id ?? user.id;
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user && typeof token.userId === "string") {
          (session.user as { id?: string; role?: Role }).id = token.userId;
        }
        return session;
      },
    },
  };
}
