// pg-copy-streams ships no types and @types/pg-copy-streams is not installed: the two functions the benchmarks use.
declare module "pg-copy-streams" {
  import type { Readable, Writable } from "node:stream";
  import type { Submittable } from "pg";
  export function from(sql: string): Writable & Submittable;
  export function to(sql: string): Readable & Submittable;
}
