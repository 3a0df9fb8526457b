"use client";

import { useId, useState, type ReactNode } from "react";

/**
 * A table's filters, folded behind one "Filters" button on a phone so that the table itself is on the
 * first screen; always open from the md breakpoint up (the button is hidden there). `active` counts
 * the filters in use, so a folded panel still says that the table is filtered.
 */
export function CollapsibleFilters({ label, active, children }: { label: string; active: number; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  return (
    <div>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((v) => !v)}
        className={`${open ? "mb-2 " : ""}inline-flex items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 md:hidden`}
      >
        <span aria-hidden="true">{open ? "▾" : "▸"}</span>
        {label}
        {active > 0 && <span className="rounded-full bg-brand-100 px-2 text-xs text-brand-800">{active} in use</span>}
      </button>
      <div id={panelId} className={open ? "block" : "hidden md:block"}>
        {children}
      </div>
    </div>
  );
}
