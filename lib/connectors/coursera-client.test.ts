import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { courseraClientForConnector, setCourseraClientOverrides } from "@/lib/connectors/coursera-client";
import { createMemoryTokenCache } from "@/lib/coursera/client";
import { DEMO_ORG } from "@/sandbox/data";
import { startCourseraSandbox, type CourseraSandbox } from "@/sandbox/server";
import { encryptSecret } from "@/lib/crypto/secrets";

/**
 * A sync builds a new client for every step; the request rate must still hold
 * across them, or a 500-page sync would send its pages as fast as it can.
 */

let sandbox: CourseraSandbox;
const dataCallStarts: number[] = [];

beforeAll(async () => {
  sandbox = await startCourseraSandbox({ port: 0 });
  setCourseraClientOverrides({
    baseUrl: sandbox.url,
    requestsPerSecond: 5,
    tokenCache: createMemoryTokenCache(),
    fetchImpl: (input, init) => {
      if (String(input).includes("/contents")) dataCallStarts.push(performance.now());
      return fetch(input, init);
    },
  });
});

afterAll(async () => {
  setCourseraClientOverrides({});
  await sandbox?.close();
});

describe("courseraClientForConnector", () => {
  it("shares one request budget between the clients of one organisation", async () => {
    const connector = { orgId: DEMO_ORG.orgId, clientId: DEMO_ORG.clientId, clientSecretEncrypted: encryptSecret(DEMO_ORG.clientSecret) };
    // Three steps, three clients: warm the token first so only data calls are spaced below.
    await courseraClientForConnector(connector).fetchContentsPage({ start: 0, limit: 1 });
    dataCallStarts.length = 0;
    for (let step = 0; step < 3; step++) {
      const page = await courseraClientForConnector(connector).fetchContentsPage({ start: step, limit: 1 });
      expect(page.items).toHaveLength(1);
    }
    expect(dataCallStarts).toHaveLength(3);
    // 5 per second: each call starts at least 200 ms after the previous one (a few ms of timer slack allowed).
    for (let i = 1; i < dataCallStarts.length; i++) expect(dataCallStarts[i] - dataCallStarts[i - 1]).toBeGreaterThanOrEqual(190);
  });
});
