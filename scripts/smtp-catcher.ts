/**
 * A real SMTP server in the test's own process (the `smtp-server` package),
 * keeping every message it receives, parsed (`mailparser`): the alert tests
 * send through it exactly as production sends through a relay. With `saveTo`,
 * each message is also written there as JSON, for the end-to-end tests, which
 * run in another process than the server scripts/test.ts starts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";

export interface CaughtMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** The message as it crossed the wire (headers and MIME parts, encoded). */
  raw: string;
}

export interface SmtpCatcher {
  url: string;
  messages: CaughtMail[];
  /** Answers RCPT TO for matching addresses with this SMTP error, `times` times (Infinity: always). */
  refuse(match: (address: string) => boolean, error: { code: number; message: string }, times?: number): void;
  close(): Promise<void>;
}

export async function startSmtpCatcher(options: { saveTo?: string } = {}): Promise<SmtpCatcher> {
  const messages: CaughtMail[] = [];
  const refusals: { match: (address: string) => boolean; error: { code: number; message: string }; remaining: number }[] = [];
  if (options.saveTo) mkdirSync(options.saveTo, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refusal = refusals.find((r) => r.remaining > 0 && r.match(address.address));
      if (refusal) {
        refusal.remaining--;
        const error = new Error(refusal.error.message) as Error & { responseCode: number };
        error.responseCode = refusal.error.code;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            const mail: CaughtMail = {
              to: session.envelope.rcptTo.map((r) => r.address),
              from: parsed.from?.text ?? "",
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              html: typeof parsed.html === "string" ? parsed.html : "",
              messageId: parsed.messageId ?? "",
              raw: raw.toString("utf8"),
            };
            messages.push(mail);
            if (options.saveTo) writeFileSync(path.join(options.saveTo, `${Date.now()}-${messages.length}.json`), JSON.stringify(mail));
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refuse(match, error, times = 1) {
      refusals.push({ match, error, remaining: times });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
