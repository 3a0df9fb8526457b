import Link from "next/link";
import type { AuthUser } from "@/lib/auth/types";
import { NotificationBell } from "@/components/notification-bell";
import { PlatformSwitcher } from "@/components/platform-switcher";
import { SignOutButton } from "@/components/sign-out-button";

const roleLabel = { CSM: "Customer success", ADMIN: "Admin", LEARNER: "Learner" } as const;

export function AppHeader({
  user,
  platforms,
  ownPlatformName,
}: {
  user: AuthUser;
  platforms: { id: string; name: string }[] | null;
  ownPlatformName: string | null;
}) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="font-semibold text-brand-700">
          Coursera connector
        </Link>
        {user.role === "CSM" && (
          <nav aria-label="Staff" className="flex gap-4 text-sm">
            <Link href="/platforms" className="text-slate-700 hover:text-brand-700">
              Platforms
            </Link>
            <Link href="/fleet" className="text-slate-700 hover:text-brand-700">
              Fleet health
            </Link>
          </nav>
        )}
        {platforms ? (
          <PlatformSwitcher platforms={platforms} />
        ) : (
          ownPlatformName && <span className="text-sm text-slate-600">{ownPlatformName}</span>
        )}
        <div className="ml-auto flex items-center gap-3 text-sm">
          {user.role !== "LEARNER" && <NotificationBell />}
          <span className="text-right">
            <span className="block font-medium" data-testid="signed-in-user">
              {user.name}
            </span>
            <span className="block text-xs text-slate-600">
              {roleLabel[user.role]} · {user.email}
            </span>
          </span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
