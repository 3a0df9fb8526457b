import "server-only";
import { db } from "@/lib/db";
import { ALERT_KINDS, incidentTitle, type AlertKindName, type NotificationRow } from "@/lib/alerts/schema";

export const NOTIFICATIONS_PAGE_SIZE = 30;

/** The bell's count: the user's unread in-app notifications. */
export function countUnreadNotifications(userId: string): Promise<number> {
  return db.alertNotification.count({ where: { userId, inApp: true, readAt: null } });
}

/** The user's notifications, newest first (the notifications page). */
export async function listNotifications(
  userId: string,
  options: { unreadOnly?: boolean; page?: number } = {},
): Promise<{ rows: NotificationRow[]; total: number; page: number; pageSize: number }> {
  const page = Math.max(1, Math.min(10_000, Math.floor(options.page ?? 1)));
  const where = { userId, inApp: true, ...(options.unreadOnly ? { readAt: null } : {}) };
  const [rows, total] = await Promise.all([
    db.alertNotification.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * NOTIFICATIONS_PAGE_SIZE,
      take: NOTIFICATIONS_PAGE_SIZE,
      select: {
        id: true,
        event: true,
        createdAt: true,
        readAt: true,
        incident: {
          select: {
            kind: true,
            scope: true,
            summary: true,
            resolution: true,
            path: true,
            platformId: true,
            platform: { select: { name: true } },
          },
        },
      },
    }),
    db.alertNotification.count({ where }),
  ]);
  return {
    rows: rows.map((n) => ({
      id: n.id,
      event: n.event,
      kind: n.incident.kind as AlertKindName,
      title: incidentTitle(n.incident.kind as AlertKindName, n.incident.scope),
      summary: n.incident.summary,
      resolution: n.incident.resolution,
      path: n.incident.path,
      platformId: n.incident.platformId,
      platformName: n.incident.platform.name,
      createdAt: n.createdAt.toISOString(),
      read: n.readAt !== null,
    })),
    total,
    page,
    pageSize: NOTIFICATIONS_PAGE_SIZE,
  };
}

/** The user's choices per kind, every kind listed (no row: everything on). */
export async function getAlertPreferences(userId: string): Promise<{ kind: AlertKindName; inApp: boolean; email: boolean }[]> {
  const rows = await db.alertPreference.findMany({ where: { userId } });
  return ALERT_KINDS.map((kind) => {
    const row = rows.find((r) => r.kind === kind);
    return { kind, inApp: row?.inApp ?? true, email: row?.email ?? true };
  });
}

/** A platform's open incidents (the overview). */
export async function listOpenIncidents(platformId: string) {
  const rows = await db.alertIncident.findMany({
    where: { platformId, resolvedAt: null },
    orderBy: { openedAt: "desc" },
    select: { id: true, kind: true, scope: true, summary: true, path: true, openedAt: true },
  });
  return rows.map((r) => ({ ...r, title: incidentTitle(r.kind as AlertKindName, r.scope) }));
}
