import "server-only";
import { db } from "@/lib/db";

export interface GroupNode {
  id: string;
  name: string;
  isPublic: boolean;
  parentId: string | null;
  children: GroupNode[];
}

/**
 * A platform's whole group tree, roots first, children by name. One query:
 * platforms have hundreds of groups at most, and the tree is shown whole
 * (searchable, collapsible) on the connector page.
 */
export async function getGroupTree(platformId: string): Promise<GroupNode[]> {
  const rows = await db.group.findMany({
    where: { platformId },
    select: { id: true, name: true, isPublic: true, parentId: true },
    orderBy: { name: "asc" },
  });
  return buildTree(rows);
}

export function buildTree(rows: { id: string; name: string; isPublic: boolean; parentId: string | null }[]): GroupNode[] {
  const nodes = new Map(rows.map((r) => [r.id, { ...r, children: [] as GroupNode[] }]));
  const roots: GroupNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** The group when it belongs to the platform, else null: ids from the browser are never trusted. */
export function findPlatformGroup(platformId: string, groupId: string) {
  return db.group.findFirst({ where: { id: groupId, platformId }, select: { id: true, name: true } });
}
