import "server-only";
import type { Role } from "@/lib/generated/prisma/enums";

/**
 * Who may do what on a platform's connector pages. Every server action and
 * route handler of /p/[platformId] reads its roles from here, so the policy
 * is one table (and one test: permissions.test.ts).
 */
export const PERMISSIONS = {
  // Turning the connector on and choosing where courses go is our staff's call.
  "connector.enable": ["CSM"],
  "connector.disable": ["CSM"],
  "connector.syncGroup": ["CSM"],
  // The health of every customer's connector at once (the fleet view): our staff only.
  "fleet.read": ["CSM"],
  // The customer's admin owns the Coursera contract and its credentials; CSMs help.
  "credentials.save": ["ADMIN", "CSM"],
  "credentials.test": ["ADMIN", "CSM"],
  // A Coursera organisation belongs to one platform; connecting a second one deliberately is our staff's call.
  "credentials.shareOrg": ["CSM"],
  "skills.change": ["ADMIN", "CSM"],
  "sync.start": ["ADMIN", "CSM"],
  "catalogue.retirements": ["ADMIN", "CSM"],
  "unmatched.link": ["ADMIN", "CSM"],
  // When the syncs run, in the customer's time zone, is the customer's call; CSMs help.
  "schedule.change": ["ADMIN", "CSM"],
  // What is imported from the customer's Coursera contract (programs, content types, languages) is theirs to choose; CSMs help.
  "catalogue.selection": ["ADMIN", "CSM"],
  // Lifting a sign-in lock (too many failed attempts) of one of the platform's users.
  "accounts.unlock": ["ADMIN", "CSM"],
  read: ["ADMIN", "CSM"],
  // A person's own alerts (the bell, the notifications list, their choices): everyone who receives them.
  "alerts.own": ["ADMIN", "CSM"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function rolesFor(permission: Permission): Role[] {
  return [...PERMISSIONS[permission]];
}
