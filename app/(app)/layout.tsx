import type { ReactNode } from "react";
import { requireUser } from "@/lib/auth/session";
import { listPlatformsForSwitcher } from "@/lib/platforms/queries";
import { AppHeader } from "@/components/app-header";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const platforms = user.role === "CSM" ? await listPlatformsForSwitcher() : null;
  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <AppHeader user={user} platforms={platforms} ownPlatformName={user.platformName} />
      <div id="main">{children}</div>
    </>
  );
}
