/** Masking of secret values in everything an attempt reports. */

/** Replaces secrets by `***` in text and, recursively, in JSON values. */
export interface Masker {
  text(value: string): string;
  /** A copy of `value` with every string (and object key) masked. */
  json<T>(value: T): T;
}

/**
 * A masker for `secrets`. A multi-line secret is also masked line by line (as GitHub Actions
 * does), since logs are split into lines, and each is also masked in its JSON-escaped forms;
 * longer secrets are matched first.
 *
 * @example
 * ```ts
 * createMasker(["hunter2"]).text("password=hunter2"); // "password=***"
 * ```
 */
export function createMasker(secrets: readonly string[]): Masker {
  const parts = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    parts.add(secret);
    for (const line of secret.split(/\r?\n/)) if (line.trim()) parts.add(line);
  }
  // As a JSON string would hold them (a task that logs JSON.stringify(...) of a secret, a record
  // written from such a line): quotes, backslashes and newlines escaped, non-ASCII raw or \uXXXX.
  for (const part of [...parts]) {
    const json = JSON.stringify(part).slice(1, -1);
    parts.add(json);
    parts.add(json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  }
  if (parts.size === 0) return { text: (v) => v, json: (v) => v };
  const pattern = new RegExp([...parts].sort((a, b) => b.length - a.length).map(escape).join("|"), "g");
  const text = (value: string) => value.replace(pattern, "***");
  const json = (value: unknown): unknown => {
    if (typeof value === "string") return text(value);
    if (Array.isArray(value)) return value.map(json);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [text(k), json(v)]));
    return value;
  };
  return { text, json: <T>(value: T) => json(value) as T };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
