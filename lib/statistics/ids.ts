import { randomBytes } from "node:crypto";

/**
 * Ids for rows the statistics sync inserts in bulk with SQL, shaped like
 * Prisma's cuid() ids ("c", a base-36 millisecond timestamp, a counter, random
 * characters) so they sort by creation time: a page of new rows lands at the
 * right edge of the primary-key index instead of on a thousand random pages.
 */
let counter = 0;

export function newRowId(): string {
  counter = (counter + 1) % 1_679_616; // 36^4
  return `c${Date.now().toString(36)}${counter.toString(36).padStart(4, "0")}${randomBytes(6).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0")}`;
}
