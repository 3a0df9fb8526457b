import { createHash } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMigrations } from "@/lib/database/migrate";
import { expectedColumnType, parsePrismaSchema } from "@/lib/database/prisma-schema";

/**
 * schema.prisma and the SQL migrations must describe the same database. The
 * test database was created from scratch by the migration runner (see
 * vitest.global-setup.ts), so its catalogue is what the migrations produce.
 * Adding a field to schema.prisma without a migration fails here.
 */
const schema = parsePrismaSchema();
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
});
afterAll(() => client.end());

async function columnsOf(table: string) {
  const { rows } = await client.query<{ column_name: string; data_type: string; udt_name: string; is_nullable: string }>(
    `SELECT column_name, data_type, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  return new Map(rows.map((r) => [r.column_name, r]));
}

async function indexColumnSets(table: string, unique: boolean): Promise<string[][]> {
  const { rows } = await client.query<{ columns: string[] }>(
    `SELECT array_agg(a.attname ORDER BY k.ord)::text[] AS columns
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE t.relname = $1 AND i.indisunique = $2 AND i.indpred IS NULL
      GROUP BY i.indexrelid`,
    [table, unique],
  );
  return rows.map((r) => r.columns);
}

describe("migrations and schema.prisma", () => {
  it("create exactly the tables of the schema", async () => {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(schema.models.map((m) => m.name).sort());
  });

  for (const model of schema.models) {
    it(`give ${model.name} exactly its fields, types and nullability`, async () => {
      const columns = await columnsOf(model.name);
      expect([...columns.keys()].sort(), `columns of ${model.name}`).toEqual(model.fields.map((f) => f.name).sort());
      for (const field of model.fields) {
        const column = columns.get(field.name)!;
        const expected = expectedColumnType(field, schema.enums);
        expect({ field: field.name, type: column.data_type, udt: column.udt_name }).toEqual({
          field: field.name,
          type: expected.dataType,
          udt: expected.udtName,
        });
        // Prisma creates scalar-list columns nullable (an empty list is its default, not a constraint).
        expect({ field: field.name, nullable: column.is_nullable === "YES" }).toEqual({
          field: field.name,
          nullable: field.optional || field.list,
        });
      }
    });

    it(`give ${model.name} its primary key and unique constraints`, async () => {
      const uniqueSets = (await indexColumnSets(model.name, true)).map((c) => c.join(","));
      for (const unique of [model.primaryKey, ...model.uniques]) {
        expect(uniqueSets, `${model.name} unique (${unique.join(", ")})`).toContain(unique.join(","));
      }
      // No unique constraint in the database that the schema does not declare.
      const declared = new Set([model.primaryKey, ...model.uniques].map((c) => c.join(",")));
      expect(uniqueSets.filter((s) => !declared.has(s))).toEqual([]);
    });
  }

  it("create every enum with exactly its values", async () => {
    const { rows } = await client.query<{ name: string; values: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const inDb = new Map(rows.map((r) => [r.name, r.values]));
    for (const [name, values] of schema.enums) expect(inDb.get(name), `enum ${name}`).toEqual(values);
    expect([...inDb.keys()].sort()).toEqual([...schema.enums.keys()].sort());
  });

  it("are recorded in Prisma's _prisma_migrations with the sha256 of each file", async () => {
    const files = await readMigrations();
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const file of files) {
      const row = rows.find((r) => r.migration_name === file.name)!;
      expect(row.checksum).toBe(createHash("sha256").update(file.sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });
});
