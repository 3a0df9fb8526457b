-- The fleet view (lib/fleet/queries.ts) and the alerts read each connector's last successful run of a kind:
-- a partial index makes that one probe however many failed runs came after it. Partial, so schema.prisma
-- cannot express it (like "SyncRun_one_active_per_connector_kind"); the drift test compares full indexes only.
CREATE INDEX "SyncRun_last_success_idx" ON "SyncRun"("connectorId", "kind", "finishedAt") WHERE "status" IN ('SUCCEEDED', 'NEEDS_REVIEW');
