import { db } from "@/lib/db";

export function getConnectorByPlatform(platformId: string) {
  return db.courseraConnector.findUnique({ where: { platformId } });
}

export function getConnector(connectorId: string) {
  return db.courseraConnector.findUnique({ where: { id: connectorId } });
}

/** Connectors the daily schedules fan out to: enabled, with credentials. */
export function listSyncableConnectors() {
  return db.courseraConnector.findMany({
    where: { enabled: true, clientSecretEncrypted: { not: null }, orgId: { not: null }, clientId: { not: null } },
    select: { id: true, platformId: true, catalogueSchedule: true, statisticsSchedule: true },
  });
}
