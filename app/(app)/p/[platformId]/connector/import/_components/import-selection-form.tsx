"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/button";
import { formatCount, formatNumber } from "@/components/format";
import type { ImportPreview } from "@/lib/catalogue/import-preview";
import { previewImportSelectionAction, saveImportSelectionAction } from "../../actions";

export interface Choice {
  value: string;
  label: string;
  hint: string | null;
  /** Items of the last listing with this value. */
  items: number;
}

export interface SelectionChoices {
  programs: Choice[];
  contentTypes: Choice[];
  languages: Choice[];
}

type Kind = keyof SelectionChoices;
type Selection = { programIds: string[]; contentTypes: string[]; languages: string[] };

const FIELD: Record<Kind, keyof Selection> = { programs: "programIds", contentTypes: "contentTypes", languages: "languages" };
const NOUN: Record<Kind, { legend: string; all: string; one: string }> = {
  programs: { legend: "Programs", all: "All programs", one: "program" },
  contentTypes: { legend: "Content types", all: "All content types", one: "content type" },
  languages: { legend: "Languages", all: "All languages", one: "language" },
};

/** Empty lists mean "all": the same canonical text for equal selections. */
const keyOf = (s: Selection) => JSON.stringify([s.programIds, s.contentTypes, s.languages].map((l) => [...l].sort()));

/**
 * The selection, as three "all, or only these" choices, and its dry run,
 * recomputed on the server a moment after each change. Saving confirms the
 * figures on screen (their fingerprint); the server refuses if they no longer
 * hold and sends the new ones.
 */
export function ImportSelectionForm({
  platformId,
  choices,
  current,
  withoutLanguage,
  holdPercent,
  enabled,
}: {
  platformId: string;
  choices: SelectionChoices;
  current: Selection;
  withoutLanguage: number;
  holdPercent: number;
  enabled: boolean;
}) {
  const router = useRouter();
  const [only, setOnly] = useState<Record<Kind, boolean>>({
    programs: current.programIds.length > 0,
    contentTypes: current.contentTypes.length > 0,
    languages: current.languages.length > 0,
  });
  const [chosen, setChosen] = useState<Record<Kind, string[]>>({
    programs: current.programIds,
    contentTypes: current.contentTypes,
    languages: current.languages,
  });
  const [preview, setPreview] = useState<{ key: string; preview: ImportPreview } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ runId: string | null; notice: string | null } | null>(null);
  const [previewing, startPreview] = useTransition();
  const [saving, startSave] = useTransition();

  const emptyKinds = (Object.keys(only) as Kind[]).filter((kind) => only[kind] && chosen[kind].length === 0);
  const selection: Selection = useMemo(
    () => ({
      programIds: only.programs ? chosen.programs : [],
      contentTypes: only.contentTypes ? chosen.contentTypes : [],
      languages: only.languages ? chosen.languages : [],
    }),
    [only, chosen],
  );
  const key = keyOf(selection);
  const unchanged = key === keyOf(current);

  // The dry run follows the form, a moment after the last change.
  useEffect(() => {
    if (unchanged || emptyKinds.length > 0) return;
    const timer = setTimeout(() => {
      startPreview(async () => {
        const result = await previewImportSelectionAction(platformId, selection);
        if (!result.ok) {
          setError(result.message);
          return;
        }
        setError(null);
        setPreview({ key, preview: result.preview });
      });
    }, 300);
    return () => clearTimeout(timer);
    // `selection` is `key` as an object: the key says when it changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, unchanged, emptyKinds.length, platformId]);

  const shown = preview && preview.key === key && !unchanged ? preview.preview : null;

  const save = () => {
    if (!shown) return;
    startSave(async () => {
      const result = await saveImportSelectionAction(platformId, { selection, impact: shown.fingerprint });
      if (!result.ok) {
        if ("preview" in result) setPreview({ key, preview: result.preview });
        setError(result.message);
        return;
      }
      setError(null);
      if (!result.changed) {
        toast.info("Nothing changed: this is the current selection.");
        return;
      }
      setSaved({ runId: result.runId, notice: result.syncNotice });
      toast.success("Import selection saved.");
      router.refresh();
    });
  };

  const toggle = (kind: Kind, value: string, on: boolean) => {
    setSaved(null);
    setChosen((c) => ({ ...c, [kind]: on ? [...c[kind], value] : c[kind].filter((v) => v !== value) }));
  };

  return (
    <div className="mt-4 space-y-6">
      <div className="grid gap-6 lg:grid-cols-3">
        {(Object.keys(FIELD) as Kind[]).map((kind) => (
          <fieldset key={kind} className="space-y-2" data-testid={`selection-${kind}`}>
            <legend className="text-sm font-medium text-slate-800">{NOUN[kind].legend}</legend>
            <label className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name={`${kind}-mode`}
                checked={!only[kind]}
                onChange={() => (setSaved(null), setOnly((o) => ({ ...o, [kind]: false })))}
              />
              {NOUN[kind].all}
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name={`${kind}-mode`}
                checked={only[kind]}
                onChange={() => (setSaved(null), setOnly((o) => ({ ...o, [kind]: true })))}
              />
              Only the {NOUN[kind].one}s checked below
            </label>
            <ul className="ml-6 max-h-64 space-y-1 overflow-y-auto" aria-label={`${NOUN[kind].one}s`}>
              {choices[kind].map((choice) => (
                <li key={choice.value}>
                  <label className={`flex items-start gap-2 text-sm ${only[kind] ? "" : "text-slate-500"}`}>
                    <input
                      type="checkbox"
                      className="mt-1"
                      disabled={!only[kind]}
                      checked={only[kind] && chosen[kind].includes(choice.value)}
                      onChange={(e) => toggle(kind, choice.value, e.target.checked)}
                    />
                    <span>
                      {choice.label} <span className="text-slate-500">· {formatCount(choice.items, "item")}</span>
                      {choice.hint && <span className="block text-xs text-slate-500">{choice.hint}</span>}
                    </span>
                  </label>
                </li>
              ))}
              {choices[kind].length === 0 && <li className="text-sm text-slate-500">None in the last listing.</li>}
            </ul>
            {kind === "languages" && withoutLanguage > 0 && only.languages && (
              <p className="ml-6 text-xs text-slate-600">
                {formatCount(withoutLanguage, "item")} of the listing state no language: they are imported only with all languages.
              </p>
            )}
          </fieldset>
        ))}
      </div>

      <div aria-live="polite" className="space-y-3">
        {emptyKinds.length > 0 && (
          <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
            Check at least one {emptyKinds.map((k) => NOUN[k].one).join(" and one ")}, or choose “{NOUN[emptyKinds[0]].all}”.
          </p>
        )}
        {unchanged && !saved && (
          <p className="text-sm text-slate-600">This is the current selection. Change it to see what a sync would do.</p>
        )}
        {!unchanged && emptyKinds.length === 0 && !shown && (
          <p className="text-sm text-slate-600">{previewing ? "Computing what would change…" : "…"}</p>
        )}
        {shown && <PreviewPanel preview={shown} holdPercent={holdPercent} stale={previewing} />}
        {error && (
          <p className="rounded-md bg-red-50 p-3 text-sm text-red-800" role="alert">
            {error}
          </p>
        )}
        {saved && (
          <p className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900" role="status">
            Saved.{" "}
            {saved.runId ? (
              <>
                A catalogue sync applies it now:{" "}
                <Link href={`/p/${platformId}/syncs/${saved.runId}`} className="underline">
                  follow the sync
                </Link>
                .
              </>
            ) : null}{" "}
            {saved.notice}
          </p>
        )}
      </div>

      <Button onClick={save} disabled={!shown || previewing || saving}>
        {saving ? "Saving…" : enabled ? "Save and sync the catalogue" : "Save"}
      </Button>
    </div>
  );
}

function PreviewPanel({ preview, holdPercent, stale }: { preview: ImportPreview; holdPercent: number; stale: boolean }) {
  return (
    // While the next preview loads, the figures shown stay readable (no fading: faded text fails contrast) and say they are being updated.
    <div
      className={`rounded-md border p-4 ${stale ? "border-dashed border-slate-400" : "border-slate-200"}`}
      data-testid="selection-preview"
      aria-busy={stale}
    >
      <p className="text-sm font-medium">
        The next catalogue sync would add {formatCount(preview.add, "course")}, retire {formatCount(preview.retire, "course")}
        {preview.retire > 0 && ` (${formatNumber(preview.retireInUse)} of them in a program session or in progress for a learner)`}, and
        keep {formatCount(preview.keep, "course")}.
      </p>
      {preview.held && (
        <p className="mt-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          That is more than the {holdPercent}% of the catalogue a sync retires on its own: nothing will be retired until you choose “Retire
          them” on the sync&apos;s page.
        </p>
      )}
      <div className="mt-3 grid gap-4 text-sm sm:grid-cols-3">
        <Samples title="Would be added" items={preview.samples.add.map((title) => ({ title, inUse: false }))} total={preview.add} />
        <Samples title="Would be retired" items={preview.samples.retire} total={preview.retire} />
        <Samples title="Kept" items={preview.samples.keep.map((title) => ({ title, inUse: false }))} total={preview.keep} />
      </div>
      <p className="mt-3 text-xs text-slate-500">
        Retired courses disappear from the catalogue and search; learners&apos; statistics, skills and program steps stay attached, and a
        wider selection later brings the courses back.
      </p>
      {stale && <p className="mt-2 text-xs font-medium text-slate-700">Updating the figures…</p>}
    </div>
  );
}

function Samples({ title, items, total }: { title: string; items: { title: string; inUse: boolean }[]; total: number }) {
  return (
    <div>
      <h3 className="font-medium text-slate-800">
        {title} ({formatNumber(total)})
      </h3>
      {items.length === 0 ? (
        <p className="text-slate-500">None.</p>
      ) : (
        <ul className="mt-1 list-disc space-y-0.5 pl-5">
          {items.map((item, i) => (
            <li key={i}>
              {item.title}
              {item.inUse && <span className="ml-1 text-xs font-medium text-amber-800">· in use by learners</span>}
            </li>
          ))}
          {total > items.length && <li className="list-none text-slate-500">and {formatNumber(total - items.length)} more</li>}
        </ul>
      )}
    </div>
  );
}
