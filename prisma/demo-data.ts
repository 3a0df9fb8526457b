/**
 * The demo world, shared by the seed, the README and the end-to-end tests.
 * The Coursera credentials are the local sandbox's demo organisation
 * (sandbox/), so the demo works without internet.
 */
export const DEMO_PASSWORD = "connector-demo";

export const DEMO_USERS = {
  csm: { email: "csm@connector.test", name: "Casey Morgan", role: "CSM" },
  acmeAdmin: { email: "admin@acme.test", name: "Alex Adams", role: "ADMIN" },
  globexAdmin: { email: "admin@globex.test", name: "Gina Globex", role: "ADMIN" },
  ada: { email: "ada@acme.test", name: "Ada Lovelace", role: "LEARNER" },
  grace: { email: "grace@acme.test", name: "Grace Hopper", role: "LEARNER" },
  alan: { email: "alan@acme.test", name: "Alan Turing", role: "LEARNER" },
  linus: { email: "linus@acme.test", name: "Linus Torvalds", role: "LEARNER" },
  margaret: { email: "margaret@acme.test", name: "Margaret Hamilton", role: "LEARNER" },
  hedy: { email: "hedy@globex.test", name: "Hedy Lamarr", role: "LEARNER" },
} as const;

export const DEMO_COURSERA = {
  orgId: "acme-demo-org",
  clientId: "acme-demo-client",
  clientSecret: "acme-demo-secret-4f9c2b",
} as const;

/** Group trees: [name, isPublic, children]. */
export type GroupSpec = { name: string; isPublic: boolean; children?: GroupSpec[] };

export const ACME_GROUPS: GroupSpec = {
  name: "Acme",
  isPublic: true,
  children: [
    {
      name: "Engineering",
      isPublic: true,
      children: [
        {
          name: "Platform Team",
          isPublic: true,
          children: [
            { name: "SRE Guild", isPublic: true },
            { name: "Incident Review Board", isPublic: false },
          ],
        },
        { name: "Security", isPublic: false, children: [{ name: "Red Team", isPublic: true }] },
      ],
    },
    { name: "Sales", isPublic: true, children: [{ name: "EMEA Sales", isPublic: false }] },
  ],
};

export const GLOBEX_GROUPS: GroupSpec = {
  name: "Globex",
  isPublic: true,
  children: [{ name: "Research", isPublic: true }],
};

/** Which demo learner sits in which group. */
export const DEMO_MEMBERSHIPS: Record<string, string[]> = {
  "ada@acme.test": ["Engineering"],
  "grace@acme.test": ["Platform Team"],
  "alan@acme.test": ["SRE Guild"],
  "linus@acme.test": ["Security"],
  "margaret@acme.test": ["Sales"],
  "hedy@globex.test": ["Research"],
};

export const ACME_SYNC_GROUP = "Engineering";

/**
 * A Coursera course of the sandbox's demo organisation (its content at index 1, whose description
 * is HTML) that the demo's "Python for Engineers" program uses as its first step. The seed creates
 * the course row so that the program exists before the first catalogue sync; that sync then
 * rewrites it with everything Coursera says (and its launch link). prisma/demo-data.test.ts
 * checks these values against the sandbox.
 */
export const DEMO_PROGRAM_COURSERA_COURSE = {
  contentId: "OJPuq6EATwxlOAtqCPBZp7",
  title: "Python Programming Fundamentals",
} as const;
