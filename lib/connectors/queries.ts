import "server-only";
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
    select: { id: true, platformId: true, timeZone: true, catalogueTime: true, statisticsTime: true },
  });
}

/**
 * What the connector page shows. The secret itself is never selected: only
 * whether one is set and its last four characters.
 */
export async function getConnectorSettings(platformId: string) {
  const connector = await db.courseraConnector.findUnique({
    where: { platformId },
    select: {
      id: true,
      enabled: true,
      enabledAt: true,
      syncGroupId: true,
      orgId: true,
      clientId: true,
      clientSecretLast4: true,
      credentialsUpdatedAt: true,
      syncGroup: { select: { id: true, name: true } },
    },
  });
  if (!connector) return null;
  return { ...connector, secretSet: connector.clientSecretLast4 !== null };
}
