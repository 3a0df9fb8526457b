import type { ReactNode } from "react";
import { requirePlatformAccess } from "@/lib/auth/session";
import { PlatformNav } from "./_components/platform-nav";

/** Every page under /p/[platformId] is for that platform's admins and for CSMs. */
export default async function PlatformLayout({ children, params }: { children: ReactNode; params: Promise<{ platformId: string }> }) {
  const { platformId } = await params;
  await requirePlatformAccess(platformId);
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 md:flex-row">
      <PlatformNav platformId={platformId} />
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}
