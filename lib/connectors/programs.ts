import "server-only";
import { db } from "@/lib/db";
import { courseraClientForConnector, INTERACTIVE_BUDGET } from "@/lib/connectors/coursera-client";
import { isCourseraError } from "@/lib/coursera/errors";

export interface CourseraProgramChoice {
  id: string;
  name: string;
  tagline: string | null;
}

export type ProgramsListing = { ok: true; programs: CourseraProgramChoice[] } | { ok: false; message: string };

/** More programs than any organisation has; the listing stops there rather than page on for ever. */
const MAX_PROGRAMS = 1_000;

/**
 * The programs of the connector's Coursera organisation, by name, read from
 * Coursera's programs listing when an admin opens the import selection (a
 * handful of requests; a person waits, so the interactive budget). A refusal
 * or an outage is a sentence for the page, never an exception.
 */
export async function listConnectorPrograms(platformId: string): Promise<ProgramsListing> {
  const connector = await db.courseraConnector.findUnique({
    where: { platformId },
    select: { orgId: true, clientId: true, clientSecretEncrypted: true },
  });
  if (!connector?.orgId || !connector.clientId || !connector.clientSecretEncrypted) {
    return { ok: false, message: "Coursera's programs are listed once the Coursera credentials are saved." };
  }
  const client = courseraClientForConnector({ ...connector, platformId }, INTERACTIVE_BUDGET);
  const programs: CourseraProgramChoice[] = [];
  try {
    for await (const page of client.listPrograms()) {
      for (const p of page.items) programs.push({ id: p.programId, name: p.name, tagline: p.tagline });
      if (programs.length >= MAX_PROGRAMS) break;
    }
  } catch (error) {
    if (!isCourseraError(error)) throw error;
    return { ok: false, message: `Coursera's programs could not be listed: ${error.message}` };
  }
  return { ok: true, programs: programs.sort((a, b) => a.name.localeCompare(b.name, "en")) };
}
