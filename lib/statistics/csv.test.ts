import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db";
import { csvDateTime, csvField, csvLine, csvResponse } from "@/lib/csv";
import { CSV_HEADER, learnerStatCsvLine } from "@/lib/statistics/csv";
import { parseStatisticsParams } from "@/lib/statistics/params";
import { iterateLearnerStats, listLearnerStats } from "@/lib/statistics/queries";

/** The statistics CSV as a spreadsheet user reads it: the page's columns in its order, words, plain numbers, UTC dates. */

let platformId: string;

beforeAll(async () => {
  const tag = randomUUID().slice(0, 8);
  platformId = (await db.platform.create({ data: { name: `Csv ${tag}`, slug: `csv-${tag}` } })).id;
  const course = await db.course.create({
    data: { platformId, source: "COURSERA", courseraContentId: `c-${tag}`, title: "Negotiation, with a comma" },
  });
  const ada = await db.user.create({ data: { platformId, email: `ada-${tag}@csv.test`, name: "Ada Lovelace", role: "LEARNER" } });
  const bob = await db.user.create({ data: { platformId, email: `bob-${tag}@csv.test`, name: "-Bob", role: "LEARNER" } });
  await db.learnerCourseStat.createMany({
    data: [
      {
        platformId,
        userId: ada.id,
        courseId: course.id,
        status: "IN_PROGRESS",
        progressPercent: 33.333,
        scorePercent: null,
        timeSpentMinutes: 65,
        lastActivityAt: new Date("2027-01-05T14:03:27.456Z"),
        enrolledAt: new Date("2027-01-01T09:00:00Z"),
      },
      {
        platformId,
        userId: bob.id,
        courseId: course.id,
        status: "COMPLETED",
        progressPercent: 100,
        scorePercent: 87.25,
        timeSpentMinutes: 600,
        lastActivityAt: new Date("2027-02-01T00:00:00Z"),
        completedAt: new Date("2027-02-01T00:00:00Z"),
      },
    ],
  });
});

afterAll(async () => {
  await disconnectDb();
});

/** Reads CSV as a spreadsheet does (RFC 4180: quoted fields, doubled quotes, CRLF lines), to check what a user gets. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const body = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && body[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += ch;
  }
  return rows;
}

describe("statistics CSV", () => {
  it("has the page's columns in the page's order, with units in the headers and UTC stated", () => {
    const onScreen = ["Learner", "Course", "Status", "Progress", "Score", "Time spent", "Last activity"];
    const positions = onScreen.map((name) => CSV_HEADER.findIndex((h) => h === name || h.startsWith(`${name} (`)));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(CSV_HEADER).toContain("Time spent (minutes)");
    expect(CSV_HEADER).toContain("Progress (%)");
    expect(CSV_HEADER.filter((h) => /activity|Enrolled|Completed \(|Reported/.test(h)).every((h) => h.endsWith("(UTC)"))).toBe(true);
  });

  it("writes statuses in words, numbers as numbers and dates a spreadsheet reads, for real rows", async () => {
    const rows = await listLearnerStats(platformId, parseStatisticsParams({}));
    const byName = new Map(rows.map((r) => [r.userName, parseCsv(learnerStatCsvLine(r))[0]]));
    const column = (name: string) => CSV_HEADER.indexOf(name);
    const ada = byName.get("Ada Lovelace")!;
    expect(ada).toHaveLength(CSV_HEADER.length);
    expect(ada[column("Course")]).toBe("Negotiation, with a comma");
    expect(ada[column("Status")]).toBe("In progress");
    expect(ada[column("Progress (%)")]).toBe("33.3");
    expect(ada[column("Score (%)")]).toBe("");
    expect(ada[column("Time spent (minutes)")]).toBe("65");
    expect(ada[column("Last activity (UTC)")]).toBe("2027-01-05 14:03:27");
    expect(ada[column("Enrolled (UTC)")]).toBe("2027-01-01 09:00:00");
    expect(ada[column("Completed (UTC)")]).toBe("");
    const bob = byName.get("-Bob")!;
    // A name that starts like a formula is made inert; numbers are never touched.
    expect(bob[column("Learner")]).toBe("'-Bob");
    expect(bob[column("Status")]).toBe("Completed");
    expect(bob[column("Score (%)")]).toBe("87.3");
    expect(bob[column("Time spent (minutes)")]).toBe("600");
  });

  it("quotes, defuses formulas and formats UTC dates", () => {
    expect(csvField('Say "hi", then go')).toBe('"Say ""hi"", then go"');
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField(-5)).toBe("-5");
    expect(csvField(undefined)).toBe("");
    expect(csvLine(["a", 1, null])).toBe("a,1,\r\n");
    expect(csvDateTime(new Date("2027-03-28T01:30:00.999Z"))).toBe("2027-03-28 01:30:00");
    expect(csvDateTime(null)).toBeNull();
  });

  it("streams every filtered row after a BOM and the header, and answers 503 when the first read fails", async () => {
    const response = await csvResponse({
      batches: iterateLearnerStats(platformId, parseStatisticsParams({}), 1),
      header: CSV_HEADER,
      line: learnerStatCsvLine,
      name: "learner-statistics",
      what: "test",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="learner-statistics-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    // The UTF-8 byte order mark (Response.text() would drop it while decoding).
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const parsed = parseCsv(text);
    expect(parsed[0]).toEqual(CSV_HEADER);
    expect(
      parsed
        .slice(1)
        .map((r) => r[CSV_HEADER.indexOf("Status")])
        .sort(),
    ).toEqual(["Completed", "In progress"]);

    async function* failing(): AsyncGenerator<never[], void, unknown> {
      throw new Error("relation does not exist");
    }
    const failed = await csvResponse({ batches: failing(), header: ["a"], line: () => "", name: "x", what: "test" });
    expect(failed.status).toBe(503);
    expect(await failed.text()).not.toContain("relation");
  });
});
