import { authorize, deniedResponse } from "@/lib/auth/session";
import { CSV_HEADER, csvLine, learnerStatCsvLine } from "@/lib/statistics/csv";
import { parseStatisticsParams } from "@/lib/statistics/params";
import { iterateLearnerStats } from "@/lib/statistics/queries";
import { rolesFor } from "@/lib/auth/permissions";

export const dynamic = "force-dynamic";

/**
 * CSV of exactly the rows the statistics page's filters select (no paging),
 * streamed in batches so a platform's 500,000 rows never sit in memory.
 */
export async function GET(request: Request, { params }: { params: Promise<{ platformId: string }> }) {
  const { platformId } = await params;
  const access = await authorize(rolesFor("read"), platformId);
  if (!access.ok) return deniedResponse(access);
  const filters = parseStatisticsParams(new URL(request.url).searchParams);
  const encoder = new TextEncoder();
  const batches = iterateLearnerStats(platformId, filters);
  // The first batch is read before the answer starts: a query that fails (whatever the filters) is
  // an error status, not a file cut short after its header with a 200.
  let first: Awaited<ReturnType<typeof batches.next>>;
  try {
    first = await batches.next();
  } catch (error) {
    console.error("statistics export failed:", (error as Error).message);
    return Response.json({ error: "UNEXPECTED", message: "The export could not be prepared. Try again in a minute." }, { status: 503 });
  }
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // A BOM so that spreadsheet programs read the names as UTF-8.
      controller.enqueue(encoder.encode("\uFEFF" + csvLine(CSV_HEADER)));
      if (first.done) controller.close();
      else controller.enqueue(encoder.encode(first.value.map(learnerStatCsvLine).join("")));
    },
    async pull(controller) {
      if (first.done) return;
      try {
        const next = await batches.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value.map(learnerStatCsvLine).join("")));
      } catch (error) {
        console.error("statistics export failed:", (error as Error).message);
        controller.error(new Error("export failed"));
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="learner-statistics-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
