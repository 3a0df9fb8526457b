/** A course's partner (a university, a company), as Coursera lists it. */
export interface Partner {
  name: string;
  logoUrl?: string | null;
}

/** The partners column (JSON) read defensively: anything that is not a named partner is left out. */
export function asPartners(value: unknown): Partner[] {
  if (!Array.isArray(value)) return [];
  return value.filter((p): p is Partner => typeof p === "object" && p !== null && typeof (p as Partner).name === "string");
}
