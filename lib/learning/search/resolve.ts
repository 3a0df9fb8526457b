import "server-only";
import { db } from "@/lib/db";
import { corrections } from "./typos";
import { expandedTsquery, literalTsquery, type SearchWordAlternatives } from "./tsquery";

/** A learner's search, resolved into the tsqueries the catalogue runs. */
export interface ResolvedSearch {
  words: SearchWordAlternatives[];
  /** The words as typed: a course matching it is a literal match and ranks above corrected ones. */
  literal: string;
  /** The words as typed or corrected: what finds the courses. */
  expanded: string;
  /** The query with each word the vocabulary does not know replaced by its closest correction; null when none has one. */
  corrected: string | null;
}

/** Query words searched at most: nobody types more, and it bounds the work of a search. */
const MAX_WORDS = 8;

/**
 * The word being typed is completed from the vocabulary into whole words when
 * it has at most this many completions (a query of words, which the planner
 * estimates from statistics); a shorter, broader prefix stays a prefix.
 */
const MAX_COMPLETIONS = 64;

/** Whether `text` contains anything to search for (letters or digits). */
export function isSearchable(text: string | undefined): text is string {
  return Boolean(text && /[\p{L}\p{N}]/u.test(text));
}

/**
 * One round trip: PostgreSQL splits and normalises the learner's words with
 * the same configuration as the courses' text (so "Node.js", "machine-learning"
 * or "École" are read exactly as they were indexed), and looks up in the
 * platform's vocabulary each word's candidate corrections (through their shared
 * deletion variants; typos.ts keeps those truly within reach) and the
 * completions of the word being typed.
 */
export async function resolveSearch(platformId: string, q: string | undefined): Promise<ResolvedSearch | null> {
  if (!isSearchable(q)) return null;
  const rows = await db.$queryRaw<{ lexeme: string; known: boolean; candidates: string[]; completions: string[] }[]>`
    WITH words AS (
      SELECT t.lexeme, t.positions[1] AS pos
        FROM unnest(to_tsvector('catalogue_search'::regconfig, ${q})) AS t
       ORDER BY t.positions[1] LIMIT ${MAX_WORDS}
    )
    SELECT w.lexeme,
           EXISTS (SELECT 1 FROM "SearchWord" s WHERE s."platformId" = ${platformId} AND s."word" = w.lexeme) AS known,
           ARRAY(SELECT DISTINCT sv."word" FROM "SearchWordVariant" sv
                  WHERE sv."platformId" = ${platformId} AND char_length(w.lexeme) >= 5
                    AND sv."variant" IN (SELECT search_word_variants(w.lexeme, CASE WHEN char_length(w.lexeme) >= 10 THEN 2 ELSE 1 END))
                  LIMIT 500) AS candidates,
           ARRAY(SELECT s."word" FROM "SearchWord" s
                  WHERE s."platformId" = ${platformId} AND w.pos = (SELECT max(pos) FROM words)
                    AND s."word" ~>=~ w.lexeme AND s."word" ~<~ (w.lexeme || chr(1114111))
                  LIMIT ${MAX_COMPLETIONS + 1}) AS completions
      FROM words w ORDER BY w.pos`;
  if (rows.length === 0) return null;
  // The last word matches as a prefix while it is being typed; a space after it says it is complete.
  const typing = !/\s$/.test(q);
  const words = rows.map((row, i) => {
    const prefix = typing && i === rows.length - 1;
    return {
      lexeme: row.lexeme,
      corrections: corrections(row.lexeme, row.candidates).map((c) => c.word),
      prefix,
      completions: prefix && row.completions.length <= MAX_COMPLETIONS ? row.completions : null,
    };
  });
  // "Did you mean": only words no course holds are replaced ("design" stays, though "resign" is one letter away).
  const misspelt = rows.map((row, i) => !row.known && words[i].corrections.length > 0);
  const corrected = misspelt.some(Boolean) ? words.map((w, i) => (misspelt[i] ? w.corrections[0] : w.lexeme)).join(" ") : null;
  return { words, literal: literalTsquery(words), expanded: expandedTsquery(words), corrected };
}
