import { describe, expect, it } from "vitest";
import { canAccessPlatform } from "@/lib/auth/access";
import type { AuthUser } from "@/lib/auth/types";

const user = (role: AuthUser["role"], platformId: string | null): AuthUser => ({ id: "u", email: "e", name: "n", role, platformId });

describe("canAccessPlatform", () => {
  const admin = ["ADMIN", "CSM"] as const;
  it.each([
    ["a CSM, any platform", user("CSM", null), "p1", true],
    ["an admin, own platform", user("ADMIN", "p1"), "p1", true],
    ["an admin, another platform", user("ADMIN", "p1"), "p2", false],
    ["a learner, own platform, admin area", user("LEARNER", "p1"), "p1", false],
  ])("%s", (_label, u, platformId, expected) => {
    expect(canAccessPlatform(u, platformId, admin)).toBe(expected);
  });

  it("lets a learner into learner areas of their own platform only", () => {
    expect(canAccessPlatform(user("LEARNER", "p1"), "p1", ["LEARNER"])).toBe(true);
    expect(canAccessPlatform(user("LEARNER", "p1"), "p2", ["LEARNER"])).toBe(false);
  });
});
