import { z } from "zod";
import { searchTextSchema } from "@/lib/input/text";

/**
 * The CSM's fleet view: its filters, sorts and health words, shared by the
 * route handler (the real validation) and the table (the controls).
 */

export const FLEET_TROUBLES = ["any", "failing", "stale", "needs_review", "unmatched", "running", "disabled", "no_credentials"] as const;
export type FleetTrouble = (typeof FLEET_TROUBLES)[number];

export const FLEET_TROUBLE_LABEL: Record<FleetTrouble, string> = {
  any: "Any trouble",
  failing: "Failing",
  stale: "Stale",
  needs_review: "Needs review",
  unmatched: "Unmatched learners waiting",
  running: "Syncing now",
  disabled: "Disabled or not set up",
  no_credentials: "No credentials",
};

export const FLEET_SORTS = ["name", "health", "lastCatalogue", "lastStatistics", "failingSince", "unmatched", "credentials"] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];

export const FLEET_PAGE_SIZE = 50;

/** Worst first: the order of the "Health" sort. */
export const FLEET_HEALTH = [
  "failing",
  "needs_review",
  "stale",
  "unmatched",
  "no_credentials",
  "healthy",
  "disabled",
  "not_set_up",
] as const;
export type FleetHealth = (typeof FLEET_HEALTH)[number];

export const FLEET_HEALTH_LABEL: Record<FleetHealth, string> = {
  failing: "Failing",
  needs_review: "Needs review",
  stale: "Stale",
  unmatched: "Unmatched waiting",
  no_credentials: "No credentials",
  healthy: "Healthy",
  disabled: "Disabled",
  not_set_up: "Not set up",
};

const emptyToUndefined = (v: unknown) => (v === "" ? undefined : v);

/** The query of GET /api/fleet (and of the page's URL): anything unreadable falls back to its default. */
export const fleetParamsSchema = z.object({
  q: searchTextSchema(200),
  trouble: z.preprocess(emptyToUndefined, z.enum(FLEET_TROUBLES).optional()).catch(undefined),
  /** "Stale" means older than this many hours; absent: each connector's own staleness threshold. */
  staleHours: z
    .preprocess(
      emptyToUndefined,
      z.coerce
        .number()
        .int()
        .min(1)
        .max(24 * 365)
        .optional(),
    )
    .catch(undefined),
  sort: z.enum(FLEET_SORTS).catch("health").default("health"),
  dir: z.enum(["asc", "desc"]).catch("asc").default("asc"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

export type FleetParams = z.output<typeof fleetParamsSchema>;

export interface FleetRow {
  id: string;
  name: string;
  health: FleetHealth;
  connectorId: string | null;
  enabled: boolean;
  syncGroupName: string | null;
  lastCatalogueAt: string | null;
  lastStatisticsAt: string | null;
  running: boolean;
  failingSince: string | null;
  failingError: string | null;
  heldRetirements: number;
  unmatchedWaiting: number;
  hasCredentials: boolean;
  credentialsSavedAt: string | null;
  staleAfterHours: number | null;
  stale: boolean;
}

export interface FleetPage {
  rows: FleetRow[];
  total: number;
  page: number;
  pageSize: number;
  /** How many platforms (matching the search) are in each kind of trouble, for the filter's choices. */
  counts: Record<FleetTrouble, number>;
  /** When the page was computed: the ages are relative to it. */
  now: string;
}
