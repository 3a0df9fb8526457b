import "server-only";

/**
 * CSV files for spreadsheet users (the statistics and audit exports): quoted fields, inert formulas,
 * UTC dates a spreadsheet reads as dates, and a streamed response so a large export never sits in memory.
 */

/**
 * One CSV field: quoted when needed, and a leading = + - @ (or tab/CR) made
 * inert, so a learner named "=HYPERLINK(…)" cannot run in a spreadsheet.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: (string | number | null | undefined)[]): string {
  return values.map(csvField).join(",") + "\r\n";
}

/** ISO 8601 date and time in UTC with a space for the T and no fraction ("2027-01-05 14:03:00"); empty when unknown. */
export function csvDateTime(d: Date | string | null | undefined): string | null {
  return d ? new Date(d).toISOString().slice(0, 19).replace("T", " ") : null;
}

/**
 * A CSV download streamed batch by batch from `batches`. The first batch is read before the answer
 * starts: a query that fails (whatever the filters) is an error status, not a file cut short after its
 * header with a 200.
 */
export async function csvResponse<Row>(input: {
  batches: AsyncGenerator<Row[], void, unknown>;
  header: string[];
  line: (row: Row) => string;
  /** The file name without its date and extension ("learner-statistics"). */
  name: string;
  /** For the log: which export failed. */
  what: string;
}): Promise<Response> {
  const { batches, header, line, name, what } = input;
  const encoder = new TextEncoder();
  let first: IteratorResult<Row[], void>;
  try {
    first = await batches.next();
  } catch (error) {
    console.error(`${what} export failed:`, (error as Error).message);
    return Response.json({ error: "UNEXPECTED", message: "The export could not be prepared. Try again in a minute." }, { status: 503 });
  }
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // A BOM so that spreadsheet programs read the names as UTF-8.
      controller.enqueue(encoder.encode("\uFEFF" + csvLine(header)));
      if (first.done) controller.close();
      else controller.enqueue(encoder.encode(first.value.map(line).join("")));
    },
    async pull(controller) {
      if (first.done) return;
      try {
        const next = await batches.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value.map(line).join("")));
      } catch (error) {
        console.error(`${what} export failed:`, (error as Error).message);
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
      "Content-Disposition": `attachment; filename="${name}-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
