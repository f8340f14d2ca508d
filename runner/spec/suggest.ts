import { distance } from "fastest-levenshtein";

/**
 * The closest candidate to a misspelt name, if one is close enough to be a likely typo.
 *
 * @example
 * ```ts
 * closest("depend_on", ["task_key", "depends_on"]); // → "depends_on"
 * ```
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    const score = distance(lower, c.toLowerCase());
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  const limit = name.length <= 3 ? 1 : name.length <= 6 ? 2 : 3;
  return best !== undefined && bestScore <= limit ? best : undefined;
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
