import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db";
import { AUDIT_CSV_HEADER, auditCsvLine } from "@/lib/audit/csv";
import {
  AUDIT_PAGE_SIZE,
  getAuditTimeZone,
  iterateAuditEntries,
  listAuditEntries,
  parseAuditParams,
  SYSTEM_ACTOR,
} from "@/lib/audit/queries";

/** The audit log's filters, paging and export against a real database. */

const ZONE = "America/New_York";
let platformId: string;
let otherId: string;
const tag = randomUUID().slice(0, 8);
const ada = `ada-${tag}@audit.test`;
const bob = `bob-${tag}@audit.test`;

beforeAll(async () => {
  platformId = (await db.platform.create({ data: { name: `Audit ${tag}`, slug: `audit-${tag}`, timeZone: ZONE } })).id;
  otherId = (await db.platform.create({ data: { name: `Audit o ${tag}`, slug: `audit-o-${tag}` } })).id;
  const at = (iso: string) => new Date(iso);
  await db.auditLog.createMany({
    data: [
      // 2027-03-01 in New York runs from 05:00 UTC on the 1st to 05:00 UTC on the 2nd.
      {
        platformId,
        actorEmail: ada,
        action: "credentials.replaced",
        details: { orgId: "acme-org" },
        createdAt: at("2027-03-01T04:59:00Z"),
      },
      {
        platformId,
        actorEmail: ada,
        action: "credentials.rejected",
        details: { orgId: "acme-org", courseraCode: "BAD_CREDENTIALS" },
        createdAt: at("2027-03-01T05:00:00Z"),
      },
      { platformId, actorEmail: bob, action: "skills.changed", details: { added: ["100% Python"] }, createdAt: at("2027-03-02T04:59:59Z") },
      {
        platformId,
        actorEmail: null,
        action: "sync.started",
        details: { kind: "CATALOGUE", trigger: "SCHEDULE" },
        createdAt: at("2027-03-02T05:00:00Z"),
      },
      { platformId: otherId, actorEmail: ada, action: "credentials.replaced", details: {}, createdAt: at("2027-03-01T12:00:00Z") },
    ],
  });
});

afterAll(async () => {
  await disconnectDb();
});

const list = async (sp: Record<string, string>) =>
  (await listAuditEntries(platformId, parseAuditParams(sp))).rows.map((r) => `${r.actorEmail ?? "system"} ${r.action}`);

describe("audit filters", () => {
  it("reads days in the platform's time zone, both ends included", async () => {
    expect(await getAuditTimeZone(platformId)).toBe(ZONE);
    expect(await list({ from: "2027-03-01", to: "2027-03-01" })).toEqual([`${bob} skills.changed`, `${ada} credentials.rejected`]);
    expect(await list({ to: "2027-02-28" })).toEqual([`${ada} credentials.replaced`]);
    expect(await list({ from: "2027-03-02" })).toEqual(["system sync.started"]);
  });

  it("filters by actor (case-insensitive), by the system, by action family, and searches details literally", async () => {
    expect(await list({ actor: bob.toUpperCase() })).toEqual([`${bob} skills.changed`]);
    expect(await list({ actor: SYSTEM_ACTOR })).toEqual(["system sync.started"]);
    expect(await list({ action: "credentials" })).toEqual([`${ada} credentials.rejected`, `${ada} credentials.replaced`]);
    expect(await list({ q: "BAD_CREDENTIALS" })).toEqual([`${ada} credentials.rejected`]);
    // % and _ are the letters typed, not wildcards.
    expect(await list({ q: "100%" })).toEqual([`${bob} skills.changed`]);
    expect(await list({ q: "%" })).toEqual([`${bob} skills.changed`]);
    expect(await list({ q: "acme-org", actor: ada, from: "2027-03-01" })).toEqual([`${ada} credentials.rejected`]);
    // Another platform's entries never show.
    expect((await listAuditEntries(platformId, parseAuditParams({}))).total).toBe(4);
  });

  it("falls back per parameter on bad values and lists the actors and actions to choose from", async () => {
    const p = parseAuditParams({ from: "2027-02-30", to: "yesterday", actor: "x".repeat(300), q: " b ", page: "-3" });
    expect(p).toMatchObject({ from: undefined, to: undefined, q: "b", page: 1 });
    expect(p.actor).toHaveLength(256);
    const log = await listAuditEntries(platformId, parseAuditParams({}));
    expect(log.actors).toEqual([ada, bob, SYSTEM_ACTOR]);
    expect(log.actions).toEqual(["credentials.rejected", "credentials.replaced", "skills.changed", "sync.started"]);
  });

  it("pages on the server and exports every filtered entry, newest first, across equal times", async () => {
    const many = await db.platform.create({ data: { name: `Audit m ${tag}`, slug: `audit-m-${tag}` } });
    const when = new Date("2027-04-01T10:00:00Z");
    await db.auditLog.createMany({
      data: Array.from({ length: AUDIT_PAGE_SIZE + 7 }, (_, i) => ({
        platformId: many.id,
        actorEmail: ada,
        action: "skills.changed",
        details: { added: [`skill ${i}`] },
        // Several entries share one instant: the keyset must still visit each exactly once.
        createdAt: new Date(when.getTime() + Math.floor(i / 3) * 1000),
      })),
    });
    const page2 = await listAuditEntries(many.id, parseAuditParams({ page: "2" }));
    expect(page2.total).toBe(AUDIT_PAGE_SIZE + 7);
    expect(page2.rows).toHaveLength(7);
    const exported: string[] = [];
    for await (const batch of iterateAuditEntries(many.id, parseAuditParams({}), "UTC", 4)) {
      expect(batch.length).toBeLessThanOrEqual(4);
      exported.push(...batch.map((r) => r.id));
    }
    expect(new Set(exported).size).toBe(AUDIT_PAGE_SIZE + 7);
    const pages = [...(await listAuditEntries(many.id, parseAuditParams({}))).rows, ...page2.rows].map((r) => r.id);
    expect(exported).toEqual(pages);
  });
});

describe("audit CSV", () => {
  it("has the page's columns first, in words, with UTC times", async () => {
    expect(AUDIT_CSV_HEADER.slice(0, 4)).toEqual(["When (UTC)", "Who", "What", "Details"]);
    const [rejected] = (await listAuditEntries(platformId, parseAuditParams({ action: "credentials.rejected" }))).rows;
    expect(auditCsvLine(rejected)).toBe(
      `2027-03-01 05:00:00,${ada},Tried credentials Coursera refused,organisation acme-org: wrong client id or secret,credentials.rejected,,\r\n`,
    );
    const [system] = (await listAuditEntries(platformId, parseAuditParams({ actor: SYSTEM_ACTOR }))).rows;
    expect(auditCsvLine(system)).toMatch(/^2027-03-02 05:00:00,System,Started a sync,catalogue \(schedule\),sync\.started/);
  });
});
