import "server-only";
import { db } from "@/lib/db";
import { composeAlertEmail, describeSendError, mailer } from "@/lib/alerts/email";
import { incidentTitle, type AlertKindName } from "@/lib/alerts/schema";

/**
 * The delivery of alert emails, one batch per call (one step of the alerts
 * functions): due notifications are claimed under a lease (a batch claimed by
 * a worker that died is claimed again once the lease ends), sent, and marked
 * SENT — or, when the send fails, tried again later with a growing delay, up
 * to MAX_ATTEMPTS, then FAILED with the reason. Without an SMTP server the
 * email is written to the log and marked LOGGED. A recipient who opted out of
 * email for the kind since the notification was made gets none (SKIPPED).
 */

export const MAX_ATTEMPTS = 5;
const LEASE_MS = 2 * 60_000;
/** Delay before attempt n+1 after n failed: 1, 5, 15, 60 minutes. */
const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];
const SENDS_AT_ONCE = 3;

export interface DeliveryResult {
  claimed: number;
  sent: number;
  logged: number;
  skipped: number;
  retrying: number;
  failed: number;
  /** Whether more emails were due when the batch ended. */
  more: boolean;
}

export async function deliverAlertEmails(options: { limit?: number; now?: Date } = {}): Promise<DeliveryResult> {
  const limit = options.limit ?? 50;
  const now = options.now ?? new Date();
  const at = now.toISOString();
  const claimed = await db.$queryRaw<{ id: string; emailAttempts: number }[]>`
    UPDATE "AlertNotification" n
       SET "emailStatus" = 'SENDING', "emailAttempts" = n."emailAttempts" + 1,
           "emailLeaseUntil" = ${new Date(now.getTime() + LEASE_MS).toISOString()}::timestamp(3)
     WHERE n."id" IN (
       SELECT "id" FROM "AlertNotification"
        WHERE "emailStatus" IN ('PENDING', 'SENDING') AND "emailNextAttemptAt" <= ${at}::timestamp(3)
          AND ("emailStatus" = 'PENDING' OR "emailLeaseUntil" < ${at}::timestamp(3))
        ORDER BY "emailNextAttemptAt"
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING n."id", n."emailAttempts"`;
  const result: DeliveryResult = { claimed: claimed.length, sent: 0, logged: 0, skipped: 0, retrying: 0, failed: 0, more: false };
  if (claimed.length > 0) {
    const rows = await db.alertNotification.findMany({
      where: { id: { in: claimed.map((c) => c.id) } },
      select: {
        id: true,
        event: true,
        emailAttempts: true,
        user: { select: { email: true, name: true, role: true, alertPreferences: { select: { kind: true, email: true } } } },
        incident: {
          select: {
            kind: true,
            scope: true,
            summary: true,
            resolution: true,
            path: true,
            openedAt: true,
            resolvedAt: true,
            platform: { select: { name: true } },
          },
        },
      },
    });
    const send = mailer();
    const delivered: string[] = [];
    const skipped: string[] = [];
    const queue = [...rows];
    await Promise.all(
      Array.from({ length: SENDS_AT_ONCE }, async () => {
        for (let row = queue.shift(); row; row = queue.shift()) {
          const { incident, user } = row;
          const optedOut = user.alertPreferences.some((p) => p.kind === incident.kind && !p.email);
          // A recipient who is no longer an admin or a CSM gets nothing either.
          if (optedOut || user.role === "LEARNER") {
            skipped.push(row.id);
            continue;
          }
          const message = composeAlertEmail({
            notificationId: row.id,
            to: user.email,
            recipientName: user.name,
            recipientRole: user.role,
            platformName: incident.platform.name,
            event: row.event,
            title: incidentTitle(incident.kind as AlertKindName, incident.scope),
            summary: incident.summary,
            resolution: incident.resolution,
            path: incident.path,
            openedAt: incident.openedAt,
            resolvedAt: incident.resolvedAt,
          });
          try {
            await send.send(message);
            delivered.push(row.id);
          } catch (error) {
            const reason = describeSendError(error);
            const last = row.emailAttempts >= MAX_ATTEMPTS;
            await db.alertNotification.update({
              where: { id: row.id },
              data: {
                emailStatus: last ? "FAILED" : "PENDING",
                emailError: reason,
                emailLeaseUntil: null,
                emailNextAttemptAt: new Date(now.getTime() + RETRY_DELAYS_MS[Math.min(row.emailAttempts, RETRY_DELAYS_MS.length) - 1]),
              },
            });
            console.error(`[alerts] email ${row.id} not sent (attempt ${row.emailAttempts} of ${MAX_ATTEMPTS}): ${reason}`);
            if (last) result.failed++;
            else result.retrying++;
          }
        }
      }),
    );
    // The outcomes of a batch in two statements, not one per email.
    if (delivered.length > 0) {
      await db.alertNotification.updateMany({
        where: { id: { in: delivered } },
        data: { emailStatus: send.mode === "smtp" ? "SENT" : "LOGGED", emailSentAt: new Date(), emailLeaseUntil: null, emailError: null },
      });
    }
    if (skipped.length > 0) {
      await db.alertNotification.updateMany({ where: { id: { in: skipped } }, data: { emailStatus: "SKIPPED", emailLeaseUntil: null } });
    }
    if (send.mode === "smtp") result.sent = delivered.length;
    else result.logged = delivered.length;
    result.skipped = skipped.length;
  }
  const due = await db.alertNotification.findFirst({
    where: { emailStatus: "PENDING", emailNextAttemptAt: { lte: now } },
    select: { id: true },
  });
  result.more = due !== null;
  return result;
}
