/** What one pass over valid JSON text found. */
export interface StructureScan {
  /** Offset of the bracket that opened one level too many, or -1. */
  tooDeepAt: number;
  /** How many object keys the text holds (duplicates included). */
  keys: number;
}

/**
 * One linear pass over JSON text (already known to parse) that measures nesting and counts
 * object keys without building anything, so that valid files — nearly all of them — cost little
 * more than `JSON.parse`. Comparing `keys` with {@link countKeys} of the parsed value reveals
 * duplicate keys (JSON.parse keeps only the last one of each).
 *
 * @example
 * ```ts
 * scanStructure('{"a":1,"a":2}', 128); // → { tooDeepAt: -1, keys: 2 }
 * countKeys(JSON.parse('{"a":1,"a":2}')); // → 1
 * ```
 */
export function scanStructure(text: string, maxDepth: number): StructureScan {
  let depth = 0;
  let keys = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i = stringEnd(text, i);
      if (isKey(text, i + 1)) keys++;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > maxDepth) return { tooDeepAt: i, keys };
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
    }
  }
  return { tooDeepAt: -1, keys };
}

/** The number of object keys in a parsed JSON value, at every depth. */
export function countKeys(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (const item of value) n += countKeys(item);
  } else {
    for (const key in value) n += 1 + countKeys((value as Record<string, unknown>)[key]);
  }
  return n;
}

/** Offset of the quote that closes the string opened at `start`. */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1) {
    let slashes = 0;
    for (let j = end - 1; text.charCodeAt(j) === 92; j--) slashes++;
    if (slashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length;
}

/** Whether the next non-blank character from `from` is a colon (the string was a key). */
function isKey(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) return true;
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return false;
  }
  return false;
}
