import { chromium } from "@playwright/test";
import { percentile } from "./table";
import { systemChromiumLaunchOptions } from "../../e2e/system-chromium";

/**
 * What an admin waits for when typing in the courses table's search box, in
 * Chromium (the system one where installed, launched as the e2e specs launch
 * it): the time from a keystroke (the keydown event's timestamp) to the frame
 * after the table shows that search's rows. Every search typed is a new one
 * (nothing served from the browser's cache); a keystroke is only timed when
 * its rows differ from the ones on screen, since otherwise nothing new is
 * painted. The next key is pressed once the rows are there, so each time is
 * one keystroke's own: the search box's pause, the request, the render.
 */
export interface TypingLatency {
  keystrokes: number;
  p50: number;
  p95: number;
  max: number;
  /** Medians of the parts: keystroke to request sent (the search box's pause), the request, its answer to the frame painted. */
  parts: { wait: number; request: number; render: number };
  /** Requests for a server render of the page (RSC) made while typing: the table fetches JSON, so 0. */
  pageRenders: number;
  /** Link prefetches made while typing (the rows' links to each course's page). */
  prefetches: number;
}

interface Timing {
  total: number;
  wait: number;
  request: number;
  render: number;
}

/**
 * `words` are typed one after the other into the empty box, one character at
 * a time (cleared in between, untimed); `rowsFor` says which titles the table
 * must show for a search (from the JSON route, before timing).
 */
export async function measureTypingLatency(o: {
  base: string;
  coursesPath: string;
  email: string;
  password: string;
  words: string[];
  rowsFor: (q: string) => Promise<string[]>;
}): Promise<TypingLatency> {
  const searches = o.words.flatMap((word) => Array.from(word, (_, i) => word.slice(0, i + 1)));
  const expected = new Map<string, string[]>();
  for (const q of ["", ...searches]) expected.set(q, await o.rowsFor(q));

  const browser = await chromium.launch(systemChromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    await page.goto(`${o.base}/sign-in`);
    await page.getByLabel("Email").fill(o.email);
    await page.getByLabel("Password").fill(o.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByTestId("signed-in-user").waitFor();
    await page.goto(`${o.base}${o.coursesPath}`);
    const box = page.getByLabel("Search titles");
    await box.waitFor();
    let pageRenders = 0;
    let prefetches = 0;
    page.on("request", (request) => {
      const headers = request.headers();
      if (headers["rsc"] !== "1") return;
      if (headers["next-router-prefetch"]) prefetches++;
      else pageRenders++;
    });
    await page.evaluate(() => {
      const w = window as unknown as { __keyAt: number };
      document.addEventListener("keydown", (e) => (w.__keyAt = e.timeStamp), { capture: true });
    });

    const timings: Timing[] = [];
    for (const word of o.words) {
      let shown = expected.get("")!;
      for (let i = 1; i <= word.length; i++) {
        const q = word.slice(0, i);
        const rows = expected.get(q)!;
        const timed = rows.join("\n") !== shown.join("\n");
        if (!timed) {
          await box.press(q.at(-1)!);
          continue;
        }
        // Armed before the key: resolves on the first frame after the table holds exactly `rows`, with where the
        // time went (Resource Timing of the table's request for `q`): the search box's pause, the request, the render.
        const painted = page.evaluate(
          ({ want, q }) =>
            new Promise<Timing>((resolve, reject) => {
              const w = window as unknown as { __keyAt: number };
              const table = document.querySelector("table")!;
              const timeout = setTimeout(() => reject(new Error(`rows not shown within 30 s: ${want.slice(0, 80)}`)), 30_000);
              const observer = new MutationObserver(() => {
                // (No named helper: the bundler would wrap it in a function the page does not have.)
                if (Array.from(table.querySelectorAll("tbody a"), (a) => a.textContent).join("\n") !== want) return;
                observer.disconnect();
                clearTimeout(timeout);
                requestAnimationFrame(() =>
                  setTimeout(() => {
                    const at = performance.now();
                    const request = (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
                      .filter((e) => e.name.includes("/courses?") && new URL(e.name).searchParams.get("q") === q)
                      .at(-1);
                    resolve({
                      total: at - w.__keyAt,
                      wait: request ? request.startTime - w.__keyAt : NaN,
                      request: request ? request.responseEnd - request.startTime : NaN,
                      render: request ? at - request.responseEnd : NaN,
                    });
                  }),
                );
              });
              observer.observe(table, { childList: true, subtree: true, characterData: true });
            }),
          { want: rows.join("\n"), q },
        );
        // A rejection (rows never shown) is awaited below, not left unhandled while the key is pressed.
        painted.catch(() => undefined);
        await box.press(q.at(-1)!);
        timings.push(await painted);
        shown = rows;
      }
      // Back to the empty box (its rows are cached by then): untimed.
      await box.fill("");
      await page.waitForFunction(() => !new URLSearchParams(location.search).has("q"));
    }
    const sorted = (key: keyof Timing) => timings.map((t) => t[key]).sort((a, b) => a - b);
    const times = sorted("total");
    return {
      keystrokes: times.length,
      p50: Math.round(percentile(times, 50)),
      p95: Math.round(percentile(times, 95)),
      max: Math.round(times.at(-1) ?? NaN),
      parts: {
        wait: Math.round(percentile(sorted("wait"), 50)),
        request: Math.round(percentile(sorted("request"), 50)),
        render: Math.round(percentile(sorted("render"), 50)),
      },
      pageRenders,
      prefetches,
    };
  } finally {
    await browser.close();
  }
}
