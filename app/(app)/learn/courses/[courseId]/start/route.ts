import { authorize, deniedResponse } from "@/lib/auth/session";
import { isSameOriginRequest } from "@/lib/auth/request-origin";
import { isRowId } from "@/lib/input/text";
import { startCourse } from "@/lib/learning/mutations";

/**
 * START (POST from the course or session page, in a new tab): records the
 * learner's intent, marks the session step started when it comes from a
 * session, and sends the browser to the course's program-scoped Coursera
 * launch URL (303: the new tab GETs Coursera). A course the learner may not
 * open is a 404, whatever the reason, so nothing about it is revealed.
 * POST, not GET: it writes. A POST another origin made the browser send is
 * refused before anything else (Origin / Sec-Fetch-Site, as Next.js checks
 * server actions): SameSite=Lax keeps the cookie off cross-site POSTs only, not
 * off those from another port or subdomain of the same site.
 * The launch URL is checked against Coursera's hosts again by startCourse.
 */
export async function POST(request: Request, { params }: { params: Promise<{ courseId: string }> }): Promise<Response> {
  if (!isSameOriginRequest(request)) {
    return htmlPage(
      403,
      "This link did not come from the platform",
      "Open the course from your catalogue and press START there.",
      "/learn",
    );
  }
  const { courseId } = await params;
  const auth = await authorize(["LEARNER"]);
  if (!auth.ok) {
    if (auth.code === "UNAUTHENTICATED") {
      const callbackUrl = encodeURIComponent(`/learn/courses/${encodeURIComponent(courseId)}`);
      return new Response(null, { status: 303, headers: { Location: `/sign-in?callbackUrl=${callbackUrl}` } });
    }
    return deniedResponse(auth);
  }
  const { user } = auth;
  if (!user.platformId) return notFoundPage();
  // Ids not of our shape name nothing (and some text would be refused by PostgreSQL).
  if (!isRowId(courseId)) return notFoundPage();
  const session = new URL(request.url).searchParams.get("session");
  const result = await startCourse({
    userId: user.id,
    platformId: user.platformId,
    courseId,
    sessionId: isRowId(session) ? session : null,
  });
  if (!result.ok) {
    if (result.code === "NOT_FOUND") return notFoundPage();
    return htmlPage(409, "This course cannot be started yet", result.message, `/learn/courses/${encodeURIComponent(courseId)}`);
  }
  return new Response(null, { status: 303, headers: { Location: result.launchUrl, "Cache-Control": "no-store" } });
}

function notFoundPage(): Response {
  return htmlPage(404, "Course not found", "It does not exist, or it is not available to you.", "/learn");
}

/** The tab opened by START shows a readable page, not JSON, when there is nothing to open. */
function htmlPage(status: number, title: string, message: string, back: string): Response {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#0f172a"><main><h1>${escape(title)}</h1><p>${escape(message)}</p><p><a href="${escape(back)}" style="color:#0043a6">Back to your courses</a></p></main></body></html>`;
  return new Response(body, { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}
