import { describe, expect, it } from "vitest";
import { newRowId } from "@/lib/database/row-id";

describe("newRowId", () => {
  it("never repeats, across many refills of its random pool", () => {
    const ids = new Set(Array.from({ length: 50_000 }, () => newRowId()));
    expect(ids.size).toBe(50_000);
  });

  it("is lower-case base-36 and sorts by creation time", async () => {
    const first = newRowId();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = newRowId();
    expect(first).toMatch(/^c[0-9a-z]{24,}$/);
    expect(second > first).toBe(true);
  });
});
