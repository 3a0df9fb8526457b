import { z } from "zod";
import { CONTENT_TYPES, type CourseraContentType } from "@/lib/coursera/schema";

/**
 * What a connector imports from Coursera's catalogue: the programs, content
 * types and languages an admin chose. An empty list imports every value of
 * its kind, so the default (three empty lists) imports everything, as before
 * selections existed. An item is imported when it passes all three:
 *   - programs: it belongs to at least one chosen program,
 *   - content types: its type is chosen,
 *   - languages: its language is chosen (an item without a language passes
 *     only when every language is imported: nothing says it is in one).
 *
 * The same rule exists twice, in TypeScript for the sync's pages
 * (`isSelected`) and in SQL for the dry run over the stored catalogue
 * (`selectedSql` in import-preview.ts); import-selection.test.ts holds them to the same answers.
 */

export interface ImportSelection {
  programIds: string[];
  contentTypes: CourseraContentType[];
  languages: string[];
}

export const IMPORT_EVERYTHING: ImportSelection = { programIds: [], contentTypes: [], languages: [] };

/** One canonical order, so that equal selections compare and fingerprint equal. */
const uniqueSorted = <T extends string>(values: T[]) => [...new Set(values)].sort();

/** For input no form sends (a wrong shape): one sentence, never the validator's own words. */
const SHAPE = { error: "Choose what to import from the lists." };

export const importSelectionSchema = z.object(
  {
    programIds: z
      .array(z.string(SHAPE).trim().min(1, "A program id is empty.").max(200, "A program id is too long."), SHAPE)
      .max(500, "Choose at most 500 programs.")
      .transform(uniqueSorted),
    contentTypes: z
      .array(z.enum(CONTENT_TYPES, { error: "Choose content types from the list." }), SHAPE)
      .max(CONTENT_TYPES.length * 2, "Choose content types from the list.")
      .transform(uniqueSorted),
    languages: z
      .array(
        z
          .string(SHAPE)
          .trim()
          .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "Choose languages from the list.")
          .transform((code) => code.toLowerCase()),
        SHAPE,
      )
      .max(200, "Choose at most 200 languages.")
      .transform(uniqueSorted),
  },
  SHAPE,
);

export function isEverything(selection: ImportSelection): boolean {
  return selection.programIds.length === 0 && selection.contentTypes.length === 0 && selection.languages.length === 0;
}

export function sameSelection(a: ImportSelection, b: ImportSelection): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

export function canonical(selection: ImportSelection): ImportSelection {
  return {
    programIds: uniqueSorted(selection.programIds),
    contentTypes: uniqueSorted(selection.contentTypes),
    languages: uniqueSorted(selection.languages.map((l) => l.toLowerCase())),
  };
}

/** A run's stored selection (SyncRun.importSelection); anything unreadable is "everything", as a run without one. */
export function selectionFromJson(value: unknown): ImportSelection {
  const parsed = importSelectionSchema.safeParse(value);
  return parsed.success ? parsed.data : IMPORT_EVERYTHING;
}

export interface SelectableItem {
  contentType: CourseraContentType;
  language: string | null;
  programIds: string[];
}

export function isSelected(selection: ImportSelection, item: SelectableItem): boolean {
  if (selection.programIds.length > 0 && !item.programIds.some((id) => selection.programIds.includes(id))) return false;
  if (selection.contentTypes.length > 0 && !selection.contentTypes.includes(item.contentType)) return false;
  if (selection.languages.length > 0 && (!item.language || !selection.languages.includes(item.language.toLowerCase()))) return false;
  return true;
}
