import "server-only";
import { db, Prisma } from "@/lib/db";

/**
 * Appends to the audit log. `details` must never carry a secret: callers pass
 * what changed (ids, names, booleans), never credential values. Returns the
 * entry's id (an entry can be referred to later: the undo of a group move).
 */
export async function recordAudit(
  entry: {
    platformId: string | null;
    actor: { id: string; email: string } | null;
    action: string;
    targetType?: string;
    targetId?: string;
    details?: Record<string, unknown>;
  },
  tx: Prisma.TransactionClient = db,
): Promise<string> {
  const created = await tx.auditLog.create({
    data: {
      platformId: entry.platformId,
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? null,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: (entry.details ?? {}) as Prisma.InputJsonValue,
    },
    select: { id: true },
  });
  return created.id;
}
