import type { Metadata } from "next";
import Link from "next/link";
import { requirePlatformAccess } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { importOptions } from "@/lib/catalogue/import-preview";
import { listConnectorPrograms } from "@/lib/connectors/programs";
import { formatContentType, formatDateTime, formatLanguage } from "@/components/format";
import { ImportSelectionForm, type SelectionChoices } from "./_components/import-selection-form";

export const metadata: Metadata = { title: "What is imported" };

/**
 * What the connector imports from Coursera: the programs, content types and
 * languages, each "all" by default. The form previews every change (a dry run
 * against the last listing) before it can be saved.
 */
export default async function ImportSelectionPage({ params }: { params: Promise<{ platformId: string }> }) {
  const { platformId } = await params;
  await requirePlatformAccess(platformId);
  const connector = await db.courseraConnector.findUnique({
    where: { platformId },
    select: {
      id: true,
      enabled: true,
      importProgramIds: true,
      importContentTypes: true,
      importLanguages: true,
      massRetirementThreshold: true,
    },
  });

  return (
    <main className="space-y-6">
      <header>
        <p className="text-sm">
          <Link href={`/p/${platformId}/connector`} className="text-brand-700 underline">
            Coursera connector
          </Link>
        </p>
        <h1 className="mt-1 text-2xl font-semibold">What is imported</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          By default every course Coursera offers your organisation becomes a platform course. Here you can import only some programs,
          content types or languages. Every change is previewed first; saving it runs a catalogue sync that applies it.
        </p>
      </header>
      {connector ? <SelectionSection platformId={platformId} connector={connector} /> : <NoConnector />}
    </main>
  );
}

function NoConnector() {
  return (
    <p className="rounded-lg border border-slate-200 bg-white p-5 text-sm text-slate-700">
      The connector is not set up yet: customer success enables it, then the Coursera credentials are entered on the connector page.
    </p>
  );
}

async function SelectionSection({
  platformId,
  connector,
}: {
  platformId: string;
  connector: {
    id: string;
    enabled: boolean;
    importProgramIds: string[];
    importContentTypes: string[];
    importLanguages: string[];
    massRetirementThreshold: number;
  };
}) {
  const [options, programs] = await Promise.all([importOptions(platformId, connector.id), listConnectorPrograms(platformId)]);
  const itemsInProgram = new Map(options.programs.map((p) => [p.id, p.items]));
  const named = programs.ok ? programs.programs : [];
  const programChoices = [
    ...named.map((p) => ({ value: p.id, label: p.name, hint: p.tagline, items: itemsInProgram.get(p.id) ?? 0 })),
    // Programs the listing holds but Coursera's programs listing did not name (or could not be read).
    ...options.programs
      .filter((p) => !named.some((n) => n.id === p.id))
      .map((p) => ({ value: p.id, label: `Program ${p.id}`, hint: null, items: p.items })),
  ];
  const keepChosen = <T extends { value: string }>(choices: T[], chosen: string[], make: (value: string) => T) => [
    ...choices,
    ...chosen.filter((value) => !choices.some((c) => c.value === value)).map(make),
  ];
  const choices: SelectionChoices = {
    programs: keepChosen(programChoices, connector.importProgramIds, (value) => ({
      value,
      label: `Program ${value}`,
      hint: null,
      items: 0,
    })),
    contentTypes: keepChosen(
      options.contentTypes.map((t) => ({ value: t.value, label: formatContentType(t.value), hint: null, items: t.items })),
      connector.importContentTypes,
      (value) => ({ value, label: formatContentType(value), hint: null, items: 0 }),
    ),
    languages: keepChosen(
      options.languages
        .filter((l): l is { value: string; items: number } => l.value !== null)
        .map((l) => ({ value: l.value, label: `${formatLanguage(l.value)} (${l.value})`, hint: null, items: l.items })),
      connector.importLanguages,
      (value) => ({ value, label: `${formatLanguage(value)} (${value})`, hint: null, items: 0 }),
    ),
  };
  const withoutLanguage = options.languages.find((l) => l.value === null)?.items ?? 0;

  return (
    <section aria-labelledby="selection-heading" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="selection-heading" className="text-lg font-medium">
        Programs, content types and languages
      </h2>
      <p className="mt-1 text-sm text-slate-600" data-testid="listing-basis">
        {options.listedAt
          ? `The numbers are from Coursera's last complete listing, read ${formatDateTime(options.listedAt)}.`
          : "No catalogue sync has read Coursera's complete listing yet: the numbers are those of the stored catalogue."}
      </p>
      {!programs.ok && (
        <p className="mt-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900" role="status">
          {programs.message}
        </p>
      )}
      <ImportSelectionForm
        platformId={platformId}
        choices={choices}
        current={{
          programIds: connector.importProgramIds,
          contentTypes: connector.importContentTypes,
          languages: connector.importLanguages,
        }}
        withoutLanguage={withoutLanguage}
        holdPercent={Math.round(connector.massRetirementThreshold * 100)}
        enabled={connector.enabled}
      />
    </section>
  );
}
