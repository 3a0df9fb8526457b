"use client";

import { LoadError } from "@/components/load-error";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useMemo, useState } from "react";
import { Badge, type BadgeTone } from "@/components/badge";
import { Button } from "@/components/button";
import { CollapsibleFilters } from "@/components/collapsible-filters";
import { DataTable, type ColumnDef } from "@/components/data-table";
import { formatAge, formatDateTime, formatNumber } from "@/components/format";
import { SearchField } from "@/components/search-field";
import { SelectField } from "@/components/select-field";
import { useUrlSearch, useUrlState } from "@/components/use-url-state";
import {
  FLEET_HEALTH_LABEL,
  FLEET_TROUBLE_LABEL,
  FLEET_TROUBLES,
  type FleetHealth,
  type FleetPage,
  type FleetRow,
} from "@/lib/fleet/schema";

const HEALTH_TONE: Record<FleetHealth, BadgeTone> = {
  failing: "danger",
  needs_review: "warning",
  stale: "warning",
  unmatched: "info",
  no_credentials: "warning",
  healthy: "success",
  disabled: "neutral",
  not_set_up: "neutral",
};

const QUERY_KEYS = ["q", "trouble", "staleHours", "sort", "dir", "page"] as const;

async function fetchFleet(query: string): Promise<FleetPage> {
  const response = await fetch(`/api/fleet?${query}`, { cache: "no-store" });
  if (!response.ok) throw new Error(`fleet ${response.status}`);
  return response.json();
}

/** An age with its exact time on hover, against the server's clock of the page. */
function Age({ value, now, never = "Never" }: { value: string | null; now: string; never?: string }) {
  if (!value) return <span className="text-slate-600">{never}</span>;
  return (
    <time dateTime={value} title={formatDateTime(value)} className="whitespace-nowrap">
      {formatAge(value, new Date(now))}
    </time>
  );
}

/** A sync's age, marked "Stale" (in words, not only colour) past the threshold the view uses. */
function SyncAge({ row, value, now, staleHours }: { row: FleetRow; value: string | null; now: string; staleHours: number | null }) {
  const threshold = staleHours ?? row.staleAfterHours;
  const watched = row.enabled && row.hasCredentials && threshold !== null;
  // "Never" speaks for itself; the server's stale filter also counts a never-synced connector from when it was enabled.
  const stale = watched && value !== null && new Date(now).getTime() - new Date(value).getTime() > threshold! * 3_600_000;
  return (
    <span className="flex flex-col items-start gap-1">
      <Age value={value} now={now} />
      {stale && <Badge tone="warning">Stale</Badge>}
    </span>
  );
}

function columns(now: string, staleHours: number | null): ColumnDef<FleetRow>[] {
  return [
    {
      id: "name",
      header: "Platform",
      meta: { sortKey: "name" },
      cell: ({ row }) => (
        <Link href={`/p/${row.original.id}`} className="font-medium text-brand-700 hover:underline">
          {row.original.name}
        </Link>
      ),
    },
    {
      id: "health",
      header: "Health",
      meta: { sortKey: "health" },
      cell: ({ row }) => {
        const r = row.original;
        return (
          <div className="min-w-32" data-testid="fleet-health" data-health={r.health}>
            <Badge tone={HEALTH_TONE[r.health]}>{FLEET_HEALTH_LABEL[r.health]}</Badge>
            {r.failingError && <span className="mt-1 block max-w-xs text-xs text-red-800">{r.failingError}</span>}
          </div>
        );
      },
    },
    {
      id: "connector",
      header: "Connector",
      cell: ({ row }) => {
        const r = row.original;
        return (
          <div className="flex flex-col items-start gap-1">
            {r.connectorId === null ? (
              <Badge>Not set up</Badge>
            ) : r.enabled ? (
              <Badge tone="success">Enabled</Badge>
            ) : (
              <Badge>Disabled</Badge>
            )}
            {r.running && <Badge tone="info">Syncing now</Badge>}
          </div>
        );
      },
    },
    { id: "group", header: "Synchronized group", cell: ({ row }) => row.original.syncGroupName ?? "—" },
    {
      id: "lastCatalogue",
      header: "Last catalogue sync",
      meta: { sortKey: "lastCatalogue" },
      cell: ({ row }) => <SyncAge row={row.original} value={row.original.lastCatalogueAt} now={now} staleHours={staleHours} />,
    },
    {
      id: "lastStatistics",
      header: "Last statistics sync",
      meta: { sortKey: "lastStatistics" },
      cell: ({ row }) => <SyncAge row={row.original} value={row.original.lastStatisticsAt} now={now} staleHours={staleHours} />,
    },
    {
      id: "failingSince",
      header: "Failing since",
      meta: { sortKey: "failingSince" },
      cell: ({ row }) =>
        row.original.failingSince ? (
          <span className="text-red-800">
            <Age value={row.original.failingSince} now={now} />
          </span>
        ) : (
          <span className="text-slate-600">Not failing</span>
        ),
    },
    {
      id: "review",
      header: "Needs review",
      cell: ({ row }) =>
        row.original.heldRetirements > 0 ? (
          <Link href={`/p/${row.original.id}/syncs`} className="text-brand-700 underline">
            {formatNumber(row.original.heldRetirements)} retirement{row.original.heldRetirements === 1 ? "" : "s"} held
          </Link>
        ) : (
          <span className="text-slate-600">No</span>
        ),
    },
    {
      id: "unmatched",
      header: "Unmatched learners",
      meta: { sortKey: "unmatched" },
      cell: ({ row }) =>
        row.original.unmatchedWaiting > 0 ? (
          <Link href={`/p/${row.original.id}/unmatched`} className="text-brand-700 underline">
            {formatNumber(row.original.unmatchedWaiting)} waiting
          </Link>
        ) : (
          <span className="text-slate-600">None</span>
        ),
    },
    {
      id: "credentials",
      header: "Credentials saved",
      meta: { sortKey: "credentials" },
      cell: ({ row }) =>
        row.original.hasCredentials ? (
          <Age value={row.original.credentialsSavedAt} now={now} never="Unknown" />
        ) : row.original.connectorId ? (
          <Badge tone="warning">No credentials</Badge>
        ) : (
          "—"
        ),
    },
  ];
}

const SKELETON_ROWS = 8;

/** The table's shape while the first page loads. */
export function FleetTableSkeleton() {
  return (
    <div className="space-y-3" data-testid="fleet-skeleton" aria-busy="true">
      <p className="sr-only">Loading the fleet…</p>
      <div className="h-20 animate-pulse rounded-lg border border-slate-200 bg-white" />
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        {Array.from({ length: SKELETON_ROWS }, (_, i) => (
          <div key={i} className="flex gap-4 border-b border-slate-100 px-4 py-3 last:border-0">
            <div className="h-4 w-40 animate-pulse rounded bg-slate-200" />
            <div className="h-4 w-20 animate-pulse rounded bg-slate-200" />
            <div className="h-4 w-24 animate-pulse rounded bg-slate-200" />
            <div className="h-4 flex-1 animate-pulse rounded bg-slate-100" />
          </div>
        ))}
      </div>
    </div>
  );
}

/**
 * The fleet table: its state (search, trouble, staleness, sort, page) is the
 * URL's; the page of rows comes from GET /api/fleet through TanStack Query
 * (the previous page stays on screen while the next loads, and the view
 * refreshes every minute).
 */
export function FleetTable() {
  const url = useUrlState();
  const { searchParams, setParams } = url;
  const [q, setQ] = useUrlSearch(url);
  const staleId = useId();
  const query = useMemo(() => {
    const out = new URLSearchParams();
    for (const key of QUERY_KEYS) {
      const value = searchParams.get(key);
      if (value) out.set(key, value);
    }
    return out.toString();
  }, [searchParams]);
  const [staleHours, setStaleHours] = useState(searchParams.get("staleHours") ?? "");

  const fleet = useQuery({
    queryKey: ["fleet", query],
    queryFn: () => fetchFleet(query),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const data = fleet.data;
  const staleParam = Number(searchParams.get("staleHours"));
  const viewStaleHours = Number.isInteger(staleParam) && staleParam >= 1 ? staleParam : null;
  const cols = useMemo(() => columns(data?.now ?? new Date(0).toISOString(), viewStaleHours), [data?.now, viewStaleHours]);

  const trouble = searchParams.get("trouble") ?? "";
  const troubleOptions = [
    { value: "", label: "All platforms" },
    ...FLEET_TROUBLES.map((t) => ({
      value: t,
      label: data ? `${FLEET_TROUBLE_LABEL[t]} (${formatNumber(data.counts[t])})` : FLEET_TROUBLE_LABEL[t],
    })),
  ];

  const activeFilters = ["q", "trouble", "staleHours"].filter((key) => searchParams.get(key)).length;

  return (
    <div className="space-y-4">
      <CollapsibleFilters label="Filters" active={activeFilters}>
        <form
          role="search"
          aria-label="Filter platforms"
          className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4"
          onSubmit={(e) => {
            e.preventDefault();
            setParams({ q: q.trim() || null, staleHours: staleHours.trim() || null });
          }}
        >
          <SearchField label="Search platforms" value={q} onChange={setQ} placeholder="Platform name" className="sm:col-span-2" />
          <SelectField label="Trouble" value={trouble} options={troubleOptions} onChange={(e) => setParams({ trouble: e.target.value })} />
          <div>
            <label htmlFor={staleId} className="block text-sm font-medium text-slate-800">
              Stale after (hours)
            </label>
            <div className="mt-1 flex gap-2">
              <input
                id={staleId}
                type="number"
                inputMode="numeric"
                min={1}
                max={8760}
                value={staleHours}
                onChange={(e) => setStaleHours(e.target.value)}
                placeholder="Each platform's own"
                aria-describedby={`${staleId}-hint`}
                className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
              />
              <Button type="submit" variant="secondary">
                Apply
              </Button>
            </div>
            <p id={`${staleId}-hint`} className="mt-1 text-xs text-slate-600">
              Blank: each platform&apos;s own threshold.
            </p>
          </div>
        </form>
      </CollapsibleFilters>

      {fleet.isError && !data && <LoadError what="The fleet" onRetry={() => fleet.refetch()} />}
      {!data && !fleet.isError && <FleetTableSkeleton />}
      {data && (
        <div aria-busy={fleet.isFetching} data-testid="fleet-table">
          <p className="mb-2 text-xs text-slate-600" aria-live="polite">
            {fleet.isFetching ? "Refreshing…" : `As of ${formatDateTime(data.now)}. Refreshes every minute.`}
          </p>
          <DataTable
            caption="Coursera connectors of every platform"
            columns={cols}
            data={data.rows}
            total={data.total}
            page={data.page}
            pageSize={data.pageSize}
            sort={searchParams.get("sort") ?? "health"}
            dir={(searchParams.get("dir") as "asc" | "desc" | null) ?? "asc"}
            rowLabel="platforms"
            emptyMessage="No platform matches these filters."
          />
        </div>
      )}
    </div>
  );
}
