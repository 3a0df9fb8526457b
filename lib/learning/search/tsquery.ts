/**
 * The text of the tsqueries a search runs, built from the learner's words as
 * PostgreSQL split and normalised them (lib/learning/search/resolve.ts). Every
 * word is required; a word may be matched by itself or by one of its
 * corrections; the last word also matches as a prefix while it is being typed.
 * Lexemes are quoted, so no input can break the query syntax.
 */

export interface SearchWordAlternatives {
  /** The word as typed, normalised (lower case, accents folded). */
  lexeme: string;
  /** Vocabulary words it may have meant (lib/learning/search/typos.ts). */
  corrections: string[];
  /** The last word of a query still being typed: "machine lear" finds "learning". */
  prefix: boolean;
}

function quote(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

function term(lexeme: string, prefix: boolean): string {
  return prefix ? `${quote(lexeme)}:*` : quote(lexeme);
}

/** Only the words as typed (no corrections): what a literal match is. */
export function literalTsquery(words: readonly SearchWordAlternatives[]): string {
  return words.map((w) => term(w.lexeme, w.prefix)).join(" & ");
}

/** The words as typed or corrected. */
export function expandedTsquery(words: readonly SearchWordAlternatives[]): string {
  return words
    .map((w) => {
      const terms = [term(w.lexeme, w.prefix), ...w.corrections.map((c) => term(c, false))];
      return terms.length === 1 ? terms[0] : `(${terms.join(" | ")})`;
    })
    .join(" & ");
}
