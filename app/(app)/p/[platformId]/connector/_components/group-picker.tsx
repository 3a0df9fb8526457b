"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState, useTransition } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/badge";
import { Button } from "@/components/button";
import { Dialog } from "@/components/dialog";
import type { GroupNode } from "@/lib/groups/queries";
import { disableConnectorAction, enableConnectorAction } from "../actions";
import { GroupMoveDialog, type GroupMoveRequest } from "../../_components/group-move-dialog";

function flatten(nodes: GroupNode[], path: string[] = []): { node: GroupNode; path: string[] }[] {
  return nodes.flatMap((n) => [{ node: n, path }, ...flatten(n.children, [...path, n.name])]);
}

/** Ids of the nodes on the way to each group, to open the tree where a search hit or the current group is. */
function ancestorsOf(tree: GroupNode[], id: string | null): Set<string> {
  const out = new Set<string>();
  if (!id) return out;
  const walk = (nodes: GroupNode[], trail: string[]): boolean =>
    nodes.some((n) => (n.id === id ? (trail.forEach((t) => out.add(t)), true) : walk(n.children, [...trail, n.id])));
  walk(tree, []);
  return out;
}

async function fetchPreview(platformId: string, groupId: string): Promise<{ id: string; name: string; depth: number }[]> {
  const response = await fetch(`/api/platforms/${platformId}/groups/preview?groupId=${encodeURIComponent(groupId)}`, { cache: "no-store" });
  if (!response.ok) throw new Error("preview failed");
  return (await response.json()).groups;
}

/**
 * The CSM's group picker: the whole tree (search, expand and collapse, any
 * level), a preview of the groups that would receive the courses (the chosen
 * group and its public subgroups, through public groups only), then confirm.
 * Moving an enabled connector's group goes through the summary of what
 * changes (GroupMoveDialog) before anything moves.
 */
export function GroupPicker({
  platformId,
  tree,
  enabled,
  currentGroupId,
}: {
  platformId: string;
  tree: GroupNode[];
  enabled: boolean;
  currentGroupId: string | null;
}) {
  const [selected, setSelected] = useState<string | null>(currentGroupId);
  const [search, setSearch] = useState("");
  // Small trees open whole; large ones open the roots and the way to the current group.
  const [expanded, setExpanded] = useState<Set<string>>(() => {
    const everything = flatten(tree);
    return everything.length <= 100
      ? new Set(everything.map((e) => e.node.id))
      : new Set([...tree.map((n) => n.id), ...ancestorsOf(tree, currentGroupId)]);
  });
  const [confirmDisable, setConfirmDisable] = useState(false);
  const [moveRequest, setMoveRequest] = useState<GroupMoveRequest | null>(null);
  const [pending, startTransition] = useTransition();
  const searchId = useId();
  const all = useMemo(() => flatten(tree), [tree]);
  const byId = useMemo(() => new Map(all.map((e) => [e.node.id, e])), [all]);

  const term = search.trim().toLowerCase();
  const matches = useMemo(
    () => (term ? new Set(all.filter((e) => e.node.name.toLowerCase().includes(term)).map((e) => e.node.id)) : null),
    [all, term],
  );
  // While searching, show matches with their ancestors, opened.
  const visible = useMemo(() => {
    if (!matches) return null;
    const keep = new Set<string>();
    for (const id of matches) {
      keep.add(id);
      for (const a of ancestorsOf(tree, id)) keep.add(a);
    }
    return keep;
  }, [matches, tree]);

  const preview = useQuery({
    queryKey: ["group-preview", platformId, selected],
    queryFn: () => fetchPreview(platformId, selected!),
    enabled: Boolean(selected),
  });

  const selectedName = selected ? byId.get(selected)?.node.name : null;
  const changed = selected !== currentGroupId;

  function toggle(id: string) {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  const pathOf = (id: string) => {
    const entry = byId.get(id);
    return entry ? [...entry.path, entry.node.name].join(" › ") : null;
  };

  function confirm() {
    if (!selected) return;
    if (enabled) {
      setMoveRequest({ kind: "move", groupId: selected });
      return;
    }
    startTransition(async () => {
      const result = await enableConnectorAction(platformId, { groupId: selected });
      if (result.ok) toast.success(`Connector enabled on ${selectedName}.`);
      else toast.error(result.message);
    });
  }

  function disable() {
    startTransition(async () => {
      const result = await disableConnectorAction(platformId);
      setConfirmDisable(false);
      if (result.ok) toast.success("Connector disabled. Coursera courses are hidden; nothing was deleted.");
      else toast.error(result.message);
    });
  }

  function renderNodes(nodes: GroupNode[], depth: number) {
    const shown = visible ? nodes.filter((n) => visible.has(n.id)) : nodes;
    if (shown.length === 0) return null;
    return (
      <ul className={depth === 0 ? "space-y-0.5" : "ml-6 space-y-0.5 border-l border-slate-200 pl-2"}>
        {shown.map((n) => {
          const open = visible ? true : expanded.has(n.id);
          const hasChildren = n.children.length > 0;
          return (
            <li key={n.id}>
              <div className={`flex items-center gap-2 rounded px-1 py-1 ${selected === n.id ? "bg-brand-50" : ""}`}>
                {hasChildren ? (
                  <button
                    type="button"
                    className="h-6 w-6 rounded text-slate-600 hover:bg-slate-100"
                    aria-expanded={open}
                    aria-label={`${open ? "Collapse" : "Expand"} ${n.name}`}
                    onClick={() => toggle(n.id)}
                    disabled={Boolean(visible)}
                  >
                    <span aria-hidden="true">{open ? "▾" : "▸"}</span>
                  </button>
                ) : (
                  <span className="inline-block w-6" aria-hidden="true" />
                )}
                <label className="flex flex-1 cursor-pointer items-center gap-2 text-sm">
                  <input type="radio" name="sync-group" value={n.id} checked={selected === n.id} onChange={() => setSelected(n.id)} />
                  <span className={matches?.has(n.id) ? "font-semibold" : undefined}>{n.name}</span>
                  {!n.isPublic && <Badge>Private</Badge>}
                  {n.id === currentGroupId && enabled && <Badge tone="success">Synchronized group</Badge>}
                </label>
              </div>
              {hasChildren && open && renderNodes(n.children, depth + 1)}
            </li>
          );
        })}
      </ul>
    );
  }

  return (
    <div className="mt-4 grid gap-6 lg:grid-cols-2">
      <fieldset className="min-w-0">
        <legend className="text-sm font-medium text-slate-800">Synchronized group</legend>
        <p className="mt-1 text-xs text-slate-600">
          Courses are visible in this group and in its public subgroups (a private group keeps its whole branch out).
        </p>
        <label htmlFor={searchId} className="mt-3 block text-sm font-medium text-slate-800">
          Search groups
        </label>
        <input
          id={searchId}
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
          placeholder="Type a group name"
        />
        <div className="mt-3 max-h-96 overflow-auto rounded-md border border-slate-200 p-2">
          {matches && matches.size === 0 ? (
            <p className="p-2 text-sm text-slate-600">No group matches “{search}”.</p>
          ) : (
            renderNodes(tree, 0)
          )}
        </div>
      </fieldset>

      <div className="min-w-0 space-y-4">
        <section aria-labelledby="preview-heading" aria-live="polite">
          <h3 id="preview-heading" className="text-sm font-medium">
            {selectedName ? `Groups that will receive the courses (${selectedName})` : "Choose a group to preview"}
          </h3>
          {preview.isLoading && <p className="mt-2 text-sm text-slate-600">Loading preview…</p>}
          {preview.isError && <p className="mt-2 text-sm text-red-700">The preview could not be loaded.</p>}
          {preview.data && (
            <ul className="mt-2 space-y-1 text-sm" data-testid="receiving-groups">
              {preview.data.map((g) => (
                <li key={g.id} style={{ paddingLeft: `${g.depth * 1}rem` }}>
                  {g.name}
                </li>
              ))}
            </ul>
          )}
          {preview.data && selected && (
            <p className="mt-2 text-xs text-slate-600">
              {preview.data.length} group{preview.data.length === 1 ? "" : "s"}. Private subgroups and everything below them do not receive
              the courses.
            </p>
          )}
        </section>
        <div className="flex flex-wrap gap-3">
          {!enabled ? (
            <Button onClick={confirm} disabled={!selected || pending}>
              {selectedName ? `Enable connector on ${selectedName}` : "Enable connector"}
            </Button>
          ) : (
            <Button onClick={confirm} disabled={!selected || !changed || pending}>
              {changed && selectedName ? `Move synchronized group to ${selectedName}…` : "Move synchronized group"}
            </Button>
          )}
          {enabled && (
            <Button variant="danger" onClick={() => setConfirmDisable(true)} disabled={pending}>
              Disable connector
            </Button>
          )}
        </div>
      </div>

      <GroupMoveDialog platformId={platformId} request={moveRequest} onClose={() => setMoveRequest(null)} pathOf={pathOf} />

      <Dialog
        open={confirmDisable}
        onOpenChange={setConfirmDisable}
        title="Disable the Coursera connector?"
        description="Coursera courses disappear from every group and syncs stop. Nothing is deleted: enabling it again brings everything back."
      >
        <div className="flex justify-end gap-3">
          <Button variant="secondary" onClick={() => setConfirmDisable(false)}>
            Cancel
          </Button>
          <Button variant="danger" onClick={disable} disabled={pending}>
            Disable connector
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
