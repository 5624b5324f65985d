import { distance } from 'fastest-levenshtein';

/**
 * The known name closest to a mistyped one, when it is close enough to be what was meant: at most
 * 40 % of the longer name's letters edited (so a swapped pair `modle` → `model` counts, `ab` → `xy`
 * does not), case ignored. Ties go to the first in `known`.
 */
export function closestName(word: string, known: Iterable<string>): string | undefined {
  let best: { name: string; edits: number } | undefined;
  for (const name of known) {
    if (name === word) continue;
    const edits = distance(word.toLowerCase(), name.toLowerCase());
    const allowed = Math.ceil(0.4 * Math.max(word.length, name.length));
    if (edits <= allowed && (!best || edits < best.edits)) best = { name, edits };
  }
  return best?.name;
}

/** ` — did you mean 'x'?` after a message about an unknown name, or nothing when no name is close. */
export function didYouMean(word: string, known: Iterable<string>): string {
  const name = closestName(word, known);
  return name === undefined ? '' : ` — did you mean '${name}'?`;
}
