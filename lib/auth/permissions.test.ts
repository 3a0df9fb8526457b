import { describe, expect, it } from "vitest";
import { canAccessPlatform } from "@/lib/auth/access";
import type { AuthUser } from "@/lib/auth/types";
import { PERMISSIONS, rolesFor, type Permission } from "./permissions";

/**
 * The policy every server action and route handler of the admin pages reads
 * (through `gated` and `authorize`). The real refusals are exercised in the
 * browser by e2e/admin-access.spec.ts; this pins the table itself.
 */

const csm: AuthUser = { id: "c", email: "c@x", name: "C", role: "CSM", platformId: null };
const admin: AuthUser = { id: "a", email: "a@x", name: "A", role: "ADMIN", platformId: "p1" };
const learner: AuthUser = { id: "l", email: "l@x", name: "L", role: "LEARNER", platformId: "p1" };

const all = Object.keys(PERMISSIONS) as Permission[];
const csmOnly: Permission[] = ["connector.enable", "connector.disable", "connector.syncGroup", "credentials.shareOrg", "fleet.read"];

describe("admin page permissions", () => {
  it("lets CSMs do everything on any platform", () => {
    for (const p of all) expect(canAccessPlatform(csm, "p2", rolesFor(p)), p).toBe(true);
  });

  it("keeps activation, the synchronized group and sharing an organisation for CSMs; admins do the rest on their own platform only", () => {
    for (const p of all) {
      expect(canAccessPlatform(admin, "p1", rolesFor(p)), p).toBe(!csmOnly.includes(p));
      expect(canAccessPlatform(admin, "p2", rolesFor(p)), p).toBe(false);
    }
  });

  it("refuses learners everything, even on their own platform", () => {
    for (const p of all) expect(canAccessPlatform(learner, "p1", rolesFor(p)), p).toBe(false);
  });
});
