import { existsSync } from "node:fs";

/**
 * How the end-to-end tests and the browser benchmarks launch Chromium: the
 * system's build (Playwright's own cannot be downloaded on this machine),
 * headless and with nothing that would reach the network on its own; an empty
 * object, Playwright's default browser, where there is none.
 */
const SYSTEM_CHROMIUM = "/usr/bin/chromium";

export function systemChromiumLaunchOptions(): { executablePath?: string; args?: string[] } {
  if (!existsSync(SYSTEM_CHROMIUM)) return {};
  return {
    executablePath: SYSTEM_CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  };
}
