"use client";

import { useSyncExternalStore } from "react";
import { formatDateTime } from "@/components/format";

const subscribe = () => () => {};

/**
 * A date in the viewer's own time zone. The server cannot know it, so the
 * server's HTML says UTC and the browser replaces it with local time once
 * hydrated (useSyncExternalStore's server snapshot avoids a hydration mismatch).
 * The exact instant stays in `dateTime` and, for a pointer, in the tooltip.
 */
export function LocalDateTime({ value }: { value: Date | string | null | undefined }) {
  const timeZone = useSyncExternalStore(
    subscribe,
    () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    () => null,
  );
  if (!value) return <>—</>;
  const iso = new Date(value).toISOString();
  return (
    <time dateTime={iso} title={iso}>
      {timeZone ? formatDateTime(iso, timeZone) : `${formatDateTime(iso, "UTC")} UTC`}
    </time>
  );
}
