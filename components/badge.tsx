import type { ReactNode } from "react";

const tones = {
  neutral: "bg-slate-100 text-slate-700",
  success: "bg-emerald-100 text-emerald-800",
  warning: "bg-amber-100 text-amber-900",
  danger: "bg-red-100 text-red-800",
  info: "bg-brand-100 text-brand-800",
} as const;

export type BadgeTone = keyof typeof tones;

export function Badge({ tone = "neutral", children }: { tone?: BadgeTone; children: ReactNode }) {
  return (
    <span className={`inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ${tones[tone]}`}>
      {children}
    </span>
  );
}

const statusTone: Record<string, BadgeTone> = {
  QUEUED: "neutral",
  RUNNING: "info",
  SUCCEEDED: "success",
  NEEDS_REVIEW: "warning",
  FAILED: "danger",
};

export function SyncStatusBadge({ status }: { status: string }) {
  const label = status === "NEEDS_REVIEW" ? "Needs review" : status.charAt(0) + status.slice(1).toLowerCase();
  return <Badge tone={statusTone[status] ?? "neutral"}>{label}</Badge>;
}
