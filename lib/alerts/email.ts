import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";

/**
 * Alert emails: what they say and how they leave. Everything in an email is
 * composed here from the incident's own wording (lib/alerts/reconcile.ts), the
 * platform's name, the recipient's name and links into the app: nothing reads
 * a credential, so no email can carry one (SECURITY.md).
 */

export interface AlertEmail {
  notificationId: string;
  to: string;
  recipientName: string;
  recipientRole: "ADMIN" | "CSM";
  platformName: string;
  event: "OPENED" | "RESOLVED";
  title: string;
  summary: string;
  resolution: string | null;
  path: string;
  openedAt: Date;
  resolvedAt: Date | null;
}

export interface ComposedEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per notification: a retried send that did get through is recognised by mail clients. */
  messageId: string;
}

/** The app's public address, for links (NEXTAUTH_URL is required in production). */
export function appUrl(path: string): string {
  const base = (env().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  return `${base}${path.startsWith("/") ? path : `/${path}`}`;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
/** Header-safe: no line breaks (a platform name cannot add headers). */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ").trim();

export function composeAlertEmail(email: AlertEmail): ComposedEmail {
  const resolved = email.event === "RESOLVED";
  const subject = oneLine(`[${email.platformName}] ${resolved ? "Resolved: " : ""}${email.title}`);
  const link = appUrl(email.path);
  const settings = appUrl("/settings/alerts");
  const why =
    email.recipientRole === "ADMIN"
      ? `You receive this as an admin of ${email.platformName}.`
      : `You receive this as customer success for ${email.platformName}.`;
  const lines = [
    `Hello ${email.recipientName},`,
    "",
    resolved ? `Resolved: ${email.title} on ${email.platformName}.` : `${email.title} on ${email.platformName}.`,
    "",
    email.summary,
    ...(resolved && email.resolution ? ["", `${email.resolution} (${utc(email.resolvedAt ?? email.openedAt)})`] : []),
    "",
    `What happened and what to do: ${link}`,
    "",
    `Opened ${utc(email.openedAt)}.${resolved && email.resolvedAt ? ` Resolved ${utc(email.resolvedAt)}.` : ""}`,
    "",
    `${why} Choose which alerts you receive: ${settings}`,
  ];
  const html = [
    `<p>Hello ${escapeHtml(email.recipientName)},</p>`,
    `<p><strong>${escapeHtml(resolved ? `Resolved: ${email.title}` : email.title)}</strong> on ${escapeHtml(email.platformName)}.</p>`,
    `<p>${escapeHtml(email.summary)}</p>`,
    ...(resolved && email.resolution ? [`<p>${escapeHtml(email.resolution)}</p>`] : []),
    `<p><a href="${escapeHtml(link)}">What happened and what to do</a></p>`,
    `<p style="color:#555">Opened ${utc(email.openedAt)}.${resolved && email.resolvedAt ? ` Resolved ${utc(email.resolvedAt)}.` : ""}<br>`,
    `${escapeHtml(why)} <a href="${escapeHtml(settings)}">Choose which alerts you receive</a>.</p>`,
  ].join("\n");
  return { to: email.to, subject, text: lines.join("\n"), html, messageId: `<alert-${email.notificationId}@coursera-connector>` };
}

export interface Mailer {
  /** "smtp": handed to the SMTP server; "log": written to the log (no SMTP server configured). */
  readonly mode: "smtp" | "log";
  send(message: ComposedEmail): Promise<void>;
}

let override: Mailer | null = null;
let cached: { url: string; transport: Transporter } | null = null;

/** Tests point alerts at their own SMTP server (or a recorder); null restores the environment's. */
export function setMailerOverride(mailer: Mailer | null): void {
  override = mailer;
}

/** An SMTP mailer for a URL (smtp://, smtps://), with a pool so a batch reuses its connections. */
export function smtpMailer(url: string): Mailer {
  if (!cached || cached.url !== url) {
    cached?.transport.close();
    cached = { url, transport: nodemailer.createTransport(url.includes("?") ? url : `${url}?pool=true&maxConnections=3`) };
  }
  const transport = cached.transport;
  return {
    mode: "smtp",
    async send(message) {
      await transport.sendMail({
        from: env().SMTP_FROM,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
      });
    },
  };
}

const logMailer: Mailer = {
  mode: "log",
  async send(message) {
    // The email as it would have gone out, minus the HTML copy; never a credential (see above).
    console.log(
      `[alerts] SMTP_URL is not set, so this email was not sent:\nTo: ${message.to}\nSubject: ${message.subject}\n\n${message.text}\n`,
    );
  },
};

export function mailer(): Mailer {
  if (override) return override;
  const url = env().SMTP_URL;
  return url ? smtpMailer(url) : logMailer;
}

/** A short reason for a failed send, for the notification row: the SMTP code or the error class, never the server's URL. */
export function describeSendError(error: unknown): string {
  const e = error as { code?: unknown; responseCode?: unknown; name?: unknown };
  const parts = [typeof e?.responseCode === "number" ? `SMTP ${e.responseCode}` : null, typeof e?.code === "string" ? e.code : null].filter(
    Boolean,
  );
  return parts.length > 0 ? parts.join(" ") : typeof e?.name === "string" ? e.name : "Error";
}
