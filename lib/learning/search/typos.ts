/**
 * Typo tolerance, the way search engines count it: a word of five letters or
 * more may carry one mistake (a wrong, missing, extra or swapped letter), a word
 * of ten or more two. Candidates come from the vocabulary's deletion variants
 * (SearchWordVariant, migration 20261202180000_search_engine), which finds every
 * word within that distance; this module keeps the ones truly within it.
 */

/** Mistakes forgiven in a typed word of this length. */
export function allowedTypos(word: string): number {
  const length = Array.from(word).length;
  if (length >= 10) return 2;
  if (length >= 5) return 1;
  return 0;
}

/**
 * Optimal string alignment distance: insertions, deletions, substitutions and
 * swaps of two adjacent letters each count one (so "pyhton" is one mistake away
 * from "python", where plain Levenshtein says two). Stops early past `max`.
 */
export function typoDistance(a: string, b: string, max = Infinity): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (Math.abs(s.length - t.length) > max) return max + 1;
  let previous2: number[] = [];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) value = Math.min(value, previous2[j - 2] + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    previous2 = previous;
    previous = current;
  }
  return previous[t.length];
}

export interface Correction {
  word: string;
  distance: number;
}

/**
 * The vocabulary words a typed word may have meant, closest first (then the
 * one keeping the typed first letter, then the nearest length, then
 * alphabetical, so the choice is stable). At most `limit`: a short list keeps
 * the query small, and farther candidates would rank low anyway.
 */
export function corrections(typed: string, candidates: readonly string[], limit = 6): Correction[] {
  const max = allowedTypos(typed);
  if (max === 0) return [];
  const length = Array.from(typed).length;
  return candidates
    .filter((word) => word !== typed)
    .map((word) => ({ word, distance: typoDistance(typed, word, max) }))
    .filter((c) => c.distance <= max)
    .sort(
      (a, b) =>
        a.distance - b.distance ||
        Number(b.word[0] === typed[0]) - Number(a.word[0] === typed[0]) ||
        Math.abs(Array.from(a.word).length - length) - Math.abs(Array.from(b.word).length - length) ||
        a.word.localeCompare(b.word),
    )
    .slice(0, limit);
}
