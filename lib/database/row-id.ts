import "server-only";
import { randomFillSync } from "node:crypto";

/**
 * Ids for rows the syncs insert in bulk with SQL (Prisma only applies its own
 * cuid() default to its create calls). Shaped like cuid: "c", a base-36
 * millisecond timestamp, a per-process counter and random characters, so that
 * ids sort by creation time and a page of new rows lands at the right edge of
 * the primary-key index instead of on a thousand random pages.
 *
 * The random part is drawn from a pooled buffer: a sync creates hundreds of
 * thousands of ids, and one randomBytes() call per id was a measurable share of
 * a page's CPU time (≈ 5 µs each).
 */

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
const RANDOM_CHARS = 12;
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
let counter = 0;

export function newRowId(): string {
  counter = (counter + 1) % 1_679_616; // 36^4
  if (poolOffset + RANDOM_CHARS > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let random = "";
  // 5 bits per character (32 of the 36): no modulo bias, 60 random bits per id.
  for (let i = 0; i < RANDOM_CHARS; i++) random += ALPHABET[pool[poolOffset++] & 31];
  return `c${Date.now().toString(36)}${counter.toString(36).padStart(4, "0")}${random}`;
}
