import "server-only";
import { db } from "@/lib/db";
import { skillKey } from "@/lib/skills/schema";
import { escapeLike } from "@/lib/sql/like";

/** The platform's skill library: typeahead and the table's skill filter. */

/** Skills whose name contains the typed text, prefix matches first. */
export async function searchSkills(platformId: string, query: string, limit = 10): Promise<{ id: string; name: string }[]> {
  const key = skillKey(query);
  if (!key) return db.skill.findMany({ where: { platformId }, orderBy: { nameKey: "asc" }, take: limit, select: { id: true, name: true } });
  const rows = await db.skill.findMany({
    where: { platformId, nameKey: { contains: escapeLike(key) } },
    orderBy: { nameKey: "asc" },
    take: 50,
    select: { id: true, name: true, nameKey: true },
  });
  return rows
    .sort((a, b) => Number(!a.nameKey.startsWith(key)) - Number(!b.nameKey.startsWith(key)) || a.nameKey.localeCompare(b.nameKey))
    .slice(0, limit)
    .map(({ id, name }) => ({ id, name }));
}

/** Every skill of the platform with how many courses carry it (the filter's options). */
export async function listSkills(platformId: string, limit = 500) {
  const rows = await db.skill.findMany({
    where: { platformId },
    orderBy: { nameKey: "asc" },
    take: limit,
    select: { id: true, name: true, _count: { select: { courses: true } } },
  });
  return rows.map((r) => ({ id: r.id, name: r.name, courses: r._count.courses }));
}
