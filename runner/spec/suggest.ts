import { distance } from "fastest-levenshtein";

/**
 * The closest candidate to a misspelt name, if one is close enough to be a likely typo. Ties in
 * edit distance go to the candidate sharing more letter pairs ("taks" → "tasks", not "tags").
 * Candidates whose length alone rules them out are skipped, so long lists stay cheap.
 *
 * @example
 * ```ts
 * closest("depend_on", ["task_key", "depends_on"]); // → "depends_on"
 * ```
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const limit = lower.length <= 3 ? 1 : lower.length <= 6 ? 2 : 3;
  let best: string | undefined;
  let bestScore = Infinity;
  let bestShared = -1;
  for (const c of candidates) {
    if (Math.abs(c.length - lower.length) > limit) continue;
    const cl = c.toLowerCase();
    const score = distance(lower, cl);
    if (score > limit || score > bestScore) continue;
    const shared = sharedPairs(lower, cl);
    if (score < bestScore || shared > bestShared) {
      best = c;
      bestScore = score;
      bestShared = shared;
    }
  }
  return best;
}

function sharedPairs(a: string, b: string): number {
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < b.length; i++) pairs.add(b.slice(i, i + 2));
  let n = 0;
  for (let i = 0; i + 1 < a.length; i++) if (pairs.has(a.slice(i, i + 2))) n++;
  return n;
}

/** `did you mean "x"?` when a close candidate exists, otherwise a list of what is allowed. */
export function didYouMean(name: string, candidates: readonly string[], noun: string): string {
  const best = closest(name, candidates);
  if (best !== undefined) return `did you mean "${best}"?`;
  return candidates.length === 0 ? `there are no ${noun}` : `${noun}: ${formatList(candidates)}`;
}

/** `a, b, c` — at most `max` entries, then `and N more`. */
export function formatList(items: readonly string[], max = 12): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}
