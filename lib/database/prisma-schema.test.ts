import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectedColumnType, parsePrismaSchema } from "@/lib/database/prisma-schema";

// The drift test is only as good as this reader: prove it sees what it must.
describe("parsePrismaSchema", () => {
  it("reads scalar, optional, list and enum fields, skips relations, and finds uniques", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "schema-"));
    const file = path.join(dir, "schema.prisma");
    writeFileSync(
      file,
      `enum Colour {\n  RED\n  BLUE\n}\nmodel A {\n  id String @id // comment\n  tags String[] @default([])\n  note String?\n  colour Colour\n  b B @relation(fields: [bId], references: [id])\n  bId String\n  @@unique([bId, note])\n}\nmodel B {\n  id String @id\n  email String @unique\n  as A[]\n}\n`,
    );
    const schema = parsePrismaSchema(file);
    const a = schema.models.find((m) => m.name === "A")!;
    expect(a.fields.map((f) => [f.name, f.type, f.optional, f.list])).toEqual([
      ["id", "String", false, false],
      ["tags", "String", false, true],
      ["note", "String", true, false],
      ["colour", "Colour", false, false],
      ["bId", "String", false, false],
    ]);
    expect(a.primaryKey).toEqual(["id"]);
    expect(a.uniques).toEqual([["bId", "note"]]);
    expect(schema.models.find((m) => m.name === "B")!.uniques).toEqual([["email"]]);
    expect(schema.enums.get("Colour")).toEqual(["RED", "BLUE"]);
  });

  it('reads Unsupported("…") fields as columns of that database type', () => {
    const dir = mkdtempSync(path.join(tmpdir(), "schema-"));
    const file = path.join(dir, "schema.prisma");
    writeFileSync(file, `model C {\n  id String @id\n  search Unsupported("tsvector")?\n}\n`);
    const c = parsePrismaSchema(file).models.find((m) => m.name === "C")!;
    const search = c.fields.find((f) => f.name === "search")!;
    expect([search.type, search.optional, search.list]).toEqual(['Unsupported("tsvector")', true, false]);
    expect(expectedColumnType(search, new Map())).toEqual({ dataType: "tsvector", udtName: "tsvector" });
  });
});
