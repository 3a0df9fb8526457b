"use client";

import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useId, useState, type KeyboardEvent } from "react";
import { skillKey, skillNameSchema } from "@/lib/skills/schema";

type Option = { kind: "existing"; id: string; name: string } | { kind: "create"; name: string };

async function fetchSkills(platformId: string, q: string): Promise<{ id: string; name: string }[]> {
  const response = await fetch(`/api/platforms/${platformId}/skills?q=${encodeURIComponent(q)}`, { cache: "no-store" });
  if (!response.ok) return [];
  return (await response.json()).skills;
}

/**
 * Typeahead over the platform's skill library (an ARIA combobox): arrows move,
 * Enter picks the highlighted skill or creates the typed one, Escape closes.
 * Names are checked with the same schema as the server.
 */
export function SkillInput({
  platformId,
  label,
  onPick,
  exclude = [],
  disabled,
}: {
  platformId: string;
  label: string;
  onPick: (name: string) => void | Promise<void>;
  exclude?: string[];
  disabled?: boolean;
}) {
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const deferred = useDeferredValue(text);
  const id = useId();
  const listId = `${id}-list`;
  const excluded = new Set(exclude.map(skillKey));

  const { data = [] } = useQuery({
    queryKey: ["skills", platformId, skillKey(deferred)],
    queryFn: () => fetchSkills(platformId, deferred),
    enabled: open,
    staleTime: 10_000,
  });

  const typedKey = skillKey(text);
  const existing: Option[] = data.filter((s) => !excluded.has(skillKey(s.name))).map((s) => ({ kind: "existing", ...s }));
  const exact = data.some((s) => skillKey(s.name) === typedKey);
  const options: Option[] = [
    ...existing,
    ...(typedKey && !exact && !excluded.has(typedKey) ? [{ kind: "create" as const, name: text.trim().replace(/\s+/g, " ") }] : []),
  ];
  const showList = open && options.length > 0;

  async function pick(option: Option | undefined) {
    const name = option ? option.name : text;
    const parsed = skillNameSchema.safeParse(name);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "Check the skill name.");
      return;
    }
    if (excluded.has(skillKey(parsed.data))) {
      setError(`“${parsed.data}” is already attached.`);
      return;
    }
    setError(null);
    setText("");
    setOpen(false);
    setActive(0);
    await onPick(parsed.data);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, Math.max(0, options.length - 1)));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Enter") {
      e.preventDefault();
      void pick(showList ? options[active] : undefined);
    } else if (e.key === "Escape") {
      setOpen(false);
    }
  }

  return (
    <div className="relative">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        id={id}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList ? `${id}-opt-${active}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
        autoComplete="off"
        value={text}
        disabled={disabled}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
          setError(null);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
        className={`mt-1 block w-full rounded-md border px-3 py-2 text-sm ${error ? "border-red-500" : "border-slate-300"}`}
        placeholder="Type to search or create a skill"
      />
      <p id={`${id}-hint`} className="sr-only">
        Use the arrow keys to choose a skill and Enter to add it; Enter on new text creates the skill.
      </p>
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
      <ul
        id={listId}
        role="listbox"
        aria-label={`${label} suggestions`}
        hidden={!showList}
        className="absolute z-30 mt-1 max-h-60 w-full overflow-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg"
      >
        {options.map((option, i) => (
          <li
            key={option.kind === "existing" ? option.id : `create-${option.name}`}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            className={`cursor-pointer px-3 py-1.5 ${i === active ? "bg-brand-50 text-brand-800" : ""}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => void pick(option)}
          >
            {option.kind === "existing" ? option.name : `Create “${option.name}”`}
          </li>
        ))}
      </ul>
    </div>
  );
}
