/**
 * The reference tokenizer: what the featurizer's fast byte-level path must agree with (a test
 * checks it on random ASCII and Unicode text). Tokens are the maximal runs of word characters
 * (letters, digits, combining marks, `_`) of the lower-cased text; everything else separates.
 */

const WORD = /[\p{L}\p{N}\p{M}_]+/gu;

/**
 * Splits text into lower-case word tokens.
 *
 * @example
 * ```ts
 * tokenize("Not GREAT, broke after 2 days!"); // ["not", "great", "broke", "after", "2", "days"]
 * ```
 */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * The terms a featurizer hashes for a list of tokens: every unigram and, with `ngrams` = 2, every
 * pair of adjacent tokens joined by one space, in order (unigram, then the bigram ending there).
 *
 * @example
 * ```ts
 * terms(["not", "great", "at", "all"], 2); // ["not", "great", "not great", "at", "great at", "all", "at all"]
 * ```
 */
export function terms(tokens: readonly string[], ngrams: 1 | 2): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    out.push(tokens[i]!);
    if (ngrams === 2 && i > 0) out.push(`${tokens[i - 1]!} ${tokens[i]!}`);
  }
  return out;
}
