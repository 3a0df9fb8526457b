"use client";

import { useParams, useRouter } from "next/navigation";

/** Staff move between customer platforms; the choice lives in the URL, so links and tabs stay honest. */
export function PlatformSwitcher({ platforms }: { platforms: { id: string; name: string }[] }) {
  const router = useRouter();
  const params = useParams<{ platformId?: string }>();
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-slate-600">Platform</span>
      <select
        className="rounded-md border border-slate-300 bg-white px-2 py-1"
        value={params.platformId ?? ""}
        onChange={(e) => router.push(e.target.value ? `/p/${e.target.value}` : "/platforms")}
      >
        <option value="">All platforms</option>
        {platforms.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}
