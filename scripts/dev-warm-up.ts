/**
 * `next dev` compiles each page on its first visit, for seconds each on a
 * small machine. Once the app answers, `npm run dev` signs the demo admin in
 * over HTTP and visits the main pages in the background, so a newcomer's first
 * clicks find them compiled. Best effort: a failure is ignored (the page then
 * compiles on its first visit, as it would have).
 */

/** Visits each path one after the other (compiling in parallel would only queue on the same cores); returns the seconds it took. */
export async function warmPages(base: string, cookie: string, paths: string[]): Promise<number> {
  const started = Date.now();
  for (const path of paths) {
    try {
      await (await fetch(`${base}${path}`, { headers: { cookie }, redirect: "manual" })).arrayBuffer();
    } catch {
      return (Date.now() - started) / 1000;
    }
  }
  return (Date.now() - started) / 1000;
}
