import { describe, expect, it } from "vitest";
import { DEMO_ORG, SandboxOrg } from "@/sandbox/data";
import { DEMO_COURSERA, DEMO_PROGRAM_COURSERA_COURSE } from "@/prisma/demo-data";

/** The demo (prisma/seed.ts) and the sandbox's demo organisation must describe the same Coursera. */
describe("demo data", () => {
  it("uses the sandbox's demo organisation", () => {
    expect(DEMO_COURSERA).toEqual({ orgId: DEMO_ORG.orgId, clientId: DEMO_ORG.clientId, clientSecret: DEMO_ORG.clientSecret });
  });

  it("puts a real content of that organisation, with an HTML description, in the demo program", () => {
    const org = new SandboxOrg(DEMO_ORG);
    const content = org.generatedContent(1, "http://sandbox.test");
    expect(content.contentId).toBe(DEMO_PROGRAM_COURSERA_COURSE.contentId);
    expect(content.name).toBe(DEMO_PROGRAM_COURSERA_COURSE.title);
    expect(content.contentType).toBe("Course");
    expect(String(content.description)).toMatch(/^<p>/);
    expect(org.contentIdAt(1)).toBe(DEMO_PROGRAM_COURSERA_COURSE.contentId);
  });
});
