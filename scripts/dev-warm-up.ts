/**
 * `next dev` compiles each page on its first visit, for seconds each on a
 * small machine. Once the app answers, `npm run dev` signs the demo admin in
 * over HTTP and visits the main pages in the background, so a newcomer's first
 * clicks find them compiled. Best effort: a failure is ignored (the page then
 * compiles on its first visit, as it would have).
 */

/** Signs in with email and password through next-auth's credentials endpoint; returns the session's Cookie header. */
export async function signInOverHttp(base: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const cookie of res.headers.getSetCookie()) {
      const pair = cookie.split(";")[0];
      jar.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
    }
  };
  const header = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const csrf = await fetch(`${base}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  keep(
    await fetch(`${base}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: header(), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
    }),
  );
  return header();
}

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
