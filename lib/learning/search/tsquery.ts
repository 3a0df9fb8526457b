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
  /**
   * For a prefix, the vocabulary's words it starts (itself included when it is
   * one): matched as whole words. Null: too many, matched as a prefix.
   */
  completions?: string[] | null;
}

function quote(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** The terms that match a word as typed: itself, or for the word being typed its completions or its prefix. */
function typedTerms(w: SearchWordAlternatives): string[] {
  if (!w.prefix) return [quote(w.lexeme)];
  // The word itself too: the vocabulary leaves out one-letter words ("114e492a" splits into "114e492" and "a").
  if (w.completions?.length) return [...new Set([w.lexeme, ...w.completions])].map(quote);
  // No word of the vocabulary starts so: only a number or an overlong word could, else nothing does.
  if (w.completions && /\p{L}/u.test(w.lexeme)) return [quote(w.lexeme)];
  return [`${quote(w.lexeme)}:*`];
}

function alternatives(terms: string[]): string {
  return terms.length === 1 ? terms[0] : `(${terms.join(" | ")})`;
}

/** Only the words as typed (no corrections): what a literal match is. */
export function literalTsquery(words: readonly SearchWordAlternatives[]): string {
  return words.map((w) => alternatives(typedTerms(w))).join(" & ");
}

/** The words as typed or corrected. */
export function expandedTsquery(words: readonly SearchWordAlternatives[]): string {
  return words.map((w) => alternatives([...typedTerms(w), ...w.corrections.map(quote)])).join(" & ");
}
