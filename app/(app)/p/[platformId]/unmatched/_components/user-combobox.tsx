"use client";

import { useEffect, useId, useState, type KeyboardEvent } from "react";

export type PlatformUser = { id: string; name: string; email: string; role: string };

/**
 * A search box with its list of users, as the ARIA combobox pattern (list inline, always shown):
 * focus stays in the box, ↓/↑ move through the users (aria-activedescendant), Home/End jump, Enter
 * picks the active one; a mouse click picks too. An empty result says so, naming the search.
 */
export function UserCombobox({
  query,
  onQueryChange,
  users,
  searching,
  chosen,
  onChoose,
}: {
  query: string;
  onQueryChange: (q: string) => void;
  /** The users matching the search, or undefined before the first answer. */
  users: PlatformUser[] | undefined;
  searching: boolean;
  /** The user picked, kept while the search changes (the link goes to them, listed or not). */
  chosen: PlatformUser | null;
  onChoose: (user: PlatformUser) => void;
}) {
  const id = useId();
  const listId = `${id}-users`;
  const optionId = (userId: string) => `${id}-user-${userId}`;
  const [active, setActive] = useState(-1);
  const list = users ?? [];
  // A new list starts with nothing active (the arrows then start from its top); the key is its ids.
  const listKey = list.map((u) => u.id).join(",");
  const [shownKey, setShownKey] = useState(listKey);
  if (shownKey !== listKey) {
    setShownKey(listKey);
    setActive(-1);
  }
  const activeUser = active >= 0 ? list[active] : undefined;

  useEffect(() => {
    if (activeUser) document.getElementById(optionId(activeUser.id))?.scrollIntoView({ block: "nearest" });
  }, [activeUser]); // eslint-disable-line react-hooks/exhaustive-deps

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (list.length === 0) return;
    const last = list.length - 1;
    const moves: Record<string, () => number> = {
      ArrowDown: () => (active >= last ? 0 : active + 1),
      ArrowUp: () => (active <= 0 ? last : active - 1),
      Home: () => 0,
      End: () => last,
    };
    if (event.key in moves) {
      event.preventDefault();
      setActive(moves[event.key]());
    } else if (event.key === "Enter" && activeUser) {
      // Enter picks; it never submits anything by itself.
      event.preventDefault();
      onChoose(activeUser);
    }
  }

  const trimmed = query.trim();
  return (
    <div className="space-y-2">
      <label htmlFor={`${id}-input`} className="block text-sm font-medium text-slate-800">
        Find a user
      </label>
      <input
        id={`${id}-input`}
        type="text"
        role="combobox"
        aria-expanded={list.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeUser ? optionId(activeUser.id) : undefined}
        aria-describedby={`${id}-help`}
        autoComplete="off"
        spellCheck={false}
        value={query}
        onChange={(e) => onQueryChange(e.target.value)}
        onKeyDown={onKeyDown}
        className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
      />
      <p id={`${id}-help`} className="text-xs text-slate-600">
        Name or email. Use the arrow keys to move through the users and Enter to pick one.
      </p>
      <ul id={listId} role="listbox" aria-label="Users" className="max-h-60 space-y-1 overflow-auto empty:hidden">
        {list.map((u, i) => {
          const selected = u.id === chosen?.id;
          return (
            <li
              key={u.id}
              id={optionId(u.id)}
              role="option"
              aria-selected={selected}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                setActive(i);
                onChoose(u);
              }}
              className={`flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm ${i === active ? "bg-brand-50 ring-2 ring-brand-600" : "hover:bg-slate-50"} ${selected ? "font-medium" : ""}`}
            >
              <span aria-hidden="true" className="w-4 shrink-0 text-brand-700">
                {selected ? "✓" : ""}
              </span>
              <span className="min-w-0">
                <span className="block truncate">{u.name}</span>
                <span className="block truncate text-xs text-slate-600">{u.email}</span>
              </span>
            </li>
          );
        })}
      </ul>
      <div role="status" className="space-y-1 text-sm">
        {searching && !list.length && <p className="text-slate-600">Searching…</p>}
        {!searching && users && users.length === 0 && (
          <p className="text-slate-700">{trimmed ? `No user matches “${trimmed}”.` : "No user to link to on this platform."}</p>
        )}
        {chosen && (
          <p className="font-medium text-slate-900">
            Picked: {chosen.name} ({chosen.email})
          </p>
        )}
      </div>
    </div>
  );
}
