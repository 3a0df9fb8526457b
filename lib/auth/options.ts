import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { verifyPassword } from "@/lib/auth/password";
import { signInSchema } from "@/lib/auth/schema";
import { findAuthUserByEmail, findUserForSignIn } from "@/lib/auth/queries";
import type { Role } from "@/lib/generated/prisma/enums";

// A fixed hash to compare against when the email is unknown, so that response
// times do not reveal which emails have accounts.
const DUMMY_HASH =
  "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";

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
        async authorize(credentials) {
          const parsed = signInSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const user = await findUserForSignIn(parsed.data.email);
          const ok = await verifyPassword(parsed.data.password, user?.passwordHash ?? DUMMY_HASH);
          if (!user || !user.passwordHash || !ok) return null;
          return { id: user.id, email: user.email, name: user.name };
        },
      }),
      ...oidcProvider(),
    ],
    callbacks: {
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
