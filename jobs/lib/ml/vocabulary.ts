/**
 * The words the review generator draws from. Sentiment words carry the signal; neutral words
 * are filler every class uses alike; drift words are slang that only appears (and replaces part
 * of the usual sentiment vocabulary) as `drift` grows, so a model trained before the drift has
 * never seen them. The long tail (made-up product words: "zorvik", "pelstra"...) gives the
 * text a realistic vocabulary size, so feature hashing has collisions to deal with and L1 has
 * useless features to drop.
 */
import { seededRandom } from "../random.js";

/**
 * Word lists by role.
 *
 * @example
 * ```ts
 * VOCABULARY.positive.includes("excellent"); // true
 * ```
 */
export const VOCABULARY = Object.freeze({
  /** Strongly positive: mostly in 4–5 star reviews. */
  positive: ["great", "love", "excellent", "amazing", "perfect", "awesome", "fantastic", "wonderful", "best", "recommend", "happy", "beautiful"],
  /** Mildly positive. */
  mildPositive: ["good", "nice", "works", "solid", "sturdy", "comfortable", "easy", "worth", "fast", "pleased"],
  /** Strongly negative: mostly in 1–2 star reviews. */
  negative: ["return", "broken", "horrible", "refund", "terrible", "awful", "worst", "waste", "defective", "useless", "disappointed", "junk"],
  /** Mildly negative. */
  mildNegative: ["meh", "flimsy", "slow", "loud", "cheap", "small", "late", "confusing", "scratched", "mediocre"],
  /** Slang that appears with drift, positive. */
  driftPositive: ["fire", "goated", "slaps", "bussin", "chef"],
  /** Slang that appears with drift, negative. */
  driftNegative: ["mid", "trash", "scam", "sus", "flop"],
  /** Filler used by every rating alike. */
  neutral: [
    "the", "a", "it", "this", "i", "and", "was", "for", "my", "with", "to", "of", "is", "on", "in", "that", "we", "they", "after",
    "product", "item", "bought", "ordered", "arrived", "days", "weeks", "use", "used", "size", "color", "box", "price", "quality",
    "delivery", "package", "kids", "kitchen", "phone", "charger", "battery", "cable", "shoes", "lamp", "desk", "chair", "bag",
    "again", "just", "really", "very", "so", "but", "also", "one", "two", "first", "time", "month", "year", "gift", "wife",
    "husband", "son", "daughter", "office", "home", "daily", "setup", "instructions", "seller", "brand", "model", "version",
  ],
});

const ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gl", "k", "l", "m", "n", "p", "pl", "r", "s", "st", "t", "tr", "v", "z"];
const VOWELS = ["a", "e", "i", "o", "u", "ai", "ou"];
const CODAS = ["", "", "n", "r", "s", "x", "k", "l"];

/**
 * 20,000 made-up lower-case words (2–3 syllables), the same on every run: the long tail of
 * filler vocabulary. None of them is one of {@link VOCABULARY}'s words.
 *
 * @example
 * ```ts
 * LONG_TAIL.length; // 20000
 * ```
 */
export const LONG_TAIL: readonly string[] = (() => {
  const rand = seededRandom(0x7a11);
  const known = new Set(Object.values(VOCABULARY).flat());
  const words = new Set<string>();
  while (words.size < 20_000) {
    const syllables = 2 + Math.floor(rand() * 2);
    let w = "";
    for (let s = 0; s < syllables; s++) w += ONSETS[Math.floor(rand() * ONSETS.length)]! + VOWELS[Math.floor(rand() * VOWELS.length)]! + CODAS[Math.floor(rand() * CODAS.length)]!;
    if (!known.has(w)) words.add(w);
  }
  return Object.freeze([...words]);
})();
