import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/**
 * The one accessibility check of the end-to-end tests: axe's WCAG 2.1 A and AA rules, serious and
 * critical violations only, on the page as the test left it.
 *
 * It first waits for the page's finite animations to end. A toast sliding in or a dialog fading in is
 * drawn half-transparent for a moment, and axe measures the colour contrast of that frame: a scan
 * taken then fails on a contrast the user never reads. Endless animations (a skeleton's pulse, a
 * spinner) are not waited for.
 */
export async function expectNoSeriousAxeViolation(page: Page, label: string): Promise<void> {
  await page.waitForFunction(
    () =>
      document
        .getAnimations()
        .every((animation) => animation.playState !== "running" || animation.effect?.getComputedTiming().iterations === Infinity),
    undefined,
    { timeout: 10_000 },
  );
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    label,
  ).toEqual([]);
}
