import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * A reader for the subset of Prisma Schema Language this project uses (no
 * @map/@@map, no composite types), enough to compare schema.prisma with a
 * migrated database. Used by the drift test.
 */
export interface SchemaField {
  name: string;
  type: string;
  optional: boolean;
  list: boolean;
  unique: boolean;
  id: boolean;
}

export interface SchemaModel {
  name: string;
  /** Scalar and enum fields only: relation fields have no column. */
  fields: SchemaField[];
  uniques: string[][];
  primaryKey: string[];
}

export interface ParsedSchema {
  models: SchemaModel[];
  enums: Map<string, string[]>;
}

const SCALARS = new Set(["String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes"]);

export function parsePrismaSchema(file = path.join(process.cwd(), "prisma", "schema.prisma")): ParsedSchema {
  // Strip comments (none of our string literals contain "//").
  const source = readFileSync(file, "utf8").replace(/\/\/.*$/gm, "");
  const enums = new Map<string, string[]>();
  for (const [, name, body] of source.matchAll(/^enum\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    enums.set(
      name,
      body
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean),
    );
  }
  const models: SchemaModel[] = [];
  for (const [, name, body] of source.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const model: SchemaModel = { name, fields: [], uniques: [], primaryKey: [] };
    for (const raw of body.split("\n")) {
      const line = raw.trim();
      if (!line) continue;
      const block = line.match(/^@@(unique|id)\(\[([^\]]*)\]/);
      if (block) {
        const columns = block[2].split(",").map((c) => c.trim());
        if (block[1] === "unique") model.uniques.push(columns);
        else model.primaryKey = columns;
        continue;
      }
      if (line.startsWith("@@")) continue;
      // `Unsupported("tsvector")` fields have a column of that database type.
      const field = line.match(/^(\w+)\s+(Unsupported\("[^"]+"\)|\w+)(\[\])?(\?)?(.*)$/);
      if (!field) continue;
      const [, fieldName, type, list, optional, attributes] = field;
      if (type.startsWith("Unsupported(")) {
        model.fields.push({ name: fieldName, type, optional: Boolean(optional), list: Boolean(list), unique: false, id: false });
        continue;
      }
      if (!SCALARS.has(type) && !enums.has(type)) continue; // a relation
      const f: SchemaField = {
        name: fieldName,
        type,
        optional: Boolean(optional),
        list: Boolean(list),
        unique: /@unique\b/.test(attributes),
        id: /@id\b/.test(attributes),
      };
      model.fields.push(f);
      if (f.unique) model.uniques.push([f.name]);
      if (f.id) model.primaryKey = [f.name];
    }
    models.push(model);
  }
  return { models, enums };
}

/** The PostgreSQL column type Prisma creates for a field (as information_schema spells it). */
export function expectedColumnType(field: SchemaField, enums: Map<string, string[]>): { dataType: string; udtName: string } {
  if (field.list) {
    const element = enums.has(field.type) ? field.type : expectedColumnType({ ...field, list: false }, enums).udtName;
    return { dataType: "ARRAY", udtName: `_${element}` };
  }
  if (enums.has(field.type)) return { dataType: "USER-DEFINED", udtName: field.type };
  const unsupported = field.type.match(/^Unsupported\("([^"]+)"\)$/);
  if (unsupported) return { dataType: unsupported[1], udtName: unsupported[1] };
  const map: Record<string, [string, string]> = {
    String: ["text", "text"],
    Int: ["integer", "int4"],
    BigInt: ["bigint", "int8"],
    Float: ["double precision", "float8"],
    Decimal: ["numeric", "numeric"],
    Boolean: ["boolean", "bool"],
    DateTime: ["timestamp without time zone", "timestamp"],
    Json: ["jsonb", "jsonb"],
    Bytes: ["bytea", "bytea"],
  };
  const [dataType, udtName] = map[field.type];
  return { dataType, udtName };
}
