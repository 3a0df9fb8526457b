import "server-only";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/mutations";
import { ALERT_KINDS, alertPreferencesSchema, type AlertPreferencesInput } from "@/lib/alerts/schema";
import { CREDENTIAL_CODES } from "@/lib/alerts/reconcile";
import type { Failure as Failure_ } from "@/lib/result";

/**
 * What a person changes about their alerts, and the credentials verdicts the
 * admin pages hand to the alerts. Callers checked the role; every change is
 * the caller's own (userId), never someone else's.
 */

/**
 * Keeps the verdict of a credentials test or save in the admin pages: accepted,
 * or refused by Coursera with its code. Anything else (a typo caught before
 * asking Coursera, Coursera unreachable) is no verdict. Returns whether one was
 * kept, so the caller knows the alerts need a look.
 */
export async function recordCredentialsCheck(platformId: string, outcome: { ok: true } | { ok: false; code: string }): Promise<boolean> {
  const refusal = outcome.ok ? null : (CREDENTIAL_CODES as readonly string[]).includes(outcome.code) ? outcome.code : undefined;
  if (refusal === undefined) return false;
  const { count } = await db.courseraConnector.updateMany({
    where: { platformId },
    data: { credentialsCheckedAt: new Date(), credentialsRefusal: refusal },
  });
  return count > 0;
}

type Failure = Failure_<"INVALID_INPUT">;

/** Saves the user's choices per kind (in the app, by email); kinds left out keep theirs. Audited. */
export async function saveAlertPreferences(input: {
  userId: string;
  platformId: string | null;
  actor: { id: string; email: string };
  preferences: AlertPreferencesInput;
}): Promise<{ ok: true } | Failure> {
  const parsed = alertPreferencesSchema.safeParse(input.preferences);
  if (!parsed.success) return { ok: false, code: "INVALID_INPUT", message: "Choose on or off for each kind of alert." };
  await db.$transaction(async (tx) => {
    for (const p of parsed.data.preferences) {
      await tx.alertPreference.upsert({
        where: { userId_kind: { userId: input.userId, kind: p.kind } },
        create: { userId: input.userId, kind: p.kind, inApp: p.inApp, email: p.email },
        update: { inApp: p.inApp, email: p.email },
      });
    }
    const off = parsed.data.preferences.flatMap((p) => [...(p.inApp ? [] : [`${p.kind}:in-app`]), ...(p.email ? [] : [`${p.kind}:email`])]);
    await recordAudit(
      {
        platformId: input.platformId,
        actor: input.actor,
        action: "alerts.preferences_changed",
        targetType: "User",
        targetId: input.userId,
        details: { off, kinds: ALERT_KINDS.length },
      },
      tx,
    );
  });
  return { ok: true };
}

/** Marks one of the user's notifications read. Another user's id changes nothing (NOT_FOUND). */
export async function markNotificationRead(
  userId: string,
  notificationId: string,
): Promise<{ ok: true } | { ok: false; code: "NOT_FOUND"; message: string }> {
  const { count } = await db.alertNotification.updateMany({
    where: { id: notificationId, userId, inApp: true },
    data: { readAt: new Date() },
  });
  if (count === 0) {
    const mine = await db.alertNotification.count({ where: { id: notificationId, userId, inApp: true } });
    if (mine === 0) return { ok: false, code: "NOT_FOUND", message: "This notification does not exist." };
  }
  return { ok: true };
}

/** Marks read the user's notifications made up to `upTo` (what the page showed them). */
export async function markAllNotificationsRead(userId: string, upTo: Date): Promise<{ ok: true; marked: number }> {
  const { count } = await db.alertNotification.updateMany({
    where: { userId, inApp: true, readAt: null, createdAt: { lte: upTo } },
    data: { readAt: new Date() },
  });
  return { ok: true, marked: count };
}
