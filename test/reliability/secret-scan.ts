/**
 * Looks for secret values in bytes: raw, JSON-escaped (as a record would hold them), with
 * non-ASCII as `\uXXXX` escapes, base64-encoded, and each line of a multi-line secret. Used by
 * the secrets suite on every file of a workspace and every output of a command.
 */
import { readFileSync } from "node:fs";

/** One place a secret was found. */
export interface SecretHit {
  where: string;
  form: string;
  secret: string;
}

/** The byte patterns that betray `secret`, each with the name of its form. */
export function secretForms(secret: string): Array<{ form: string; bytes: Buffer }> {
  const forms = new Map<string, string>();
  const add = (form: string, text: string) => {
    if (text.length >= 6 && ![...forms.values()].includes(text)) forms.set(form, text);
  };
  const parts = [secret, ...secret.split(/\r?\n/).filter((l) => l.trim().length >= 6)];
  parts.forEach((part, i) => {
    const tag = i === 0 ? "" : ` (line ${i})`;
    add(`raw${tag}`, part);
    add(`json${tag}`, JSON.stringify(part).slice(1, -1));
    add(`json-ascii${tag}`, JSON.stringify(part).slice(1, -1).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
    add(`base64${tag}`, Buffer.from(part).toString("base64").replace(/=+$/, ""));
    add(`base64url${tag}`, Buffer.from(part).toString("base64url"));
  });
  const out = [...forms].map(([form, text]) => ({ form, bytes: Buffer.from(text) }));
  // The UTF-16 form, as a V8 heap or a Windows tool would hold it.
  out.push({ form: "utf16le", bytes: Buffer.from(secret, "utf16le") });
  return out;
}

/**
 * Every occurrence, in `bytes`, of any form of any secret.
 *
 * @example
 * scanBytes("stdout of run", Buffer.from(result.stdout), ["hunter2-secret"]); // [] when clean
 */
export function scanBytes(where: string, bytes: Buffer, secrets: readonly string[]): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const secret of secrets) {
    for (const { form, bytes: pattern } of secretForms(secret)) {
      if (bytes.indexOf(pattern) >= 0) hits.push({ where, form, secret: `${secret.slice(0, 4)}…` });
    }
  }
  return hits;
}

/** {@link scanBytes} over files (read as raw bytes, binary files included). */
export function scanFiles(files: Iterable<string>, secrets: readonly string[]): { scanned: number; bytes: number; hits: SecretHit[] } {
  let scanned = 0;
  let total = 0;
  const hits: SecretHit[] = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    scanned++;
    total += bytes.length;
    hits.push(...scanBytes(file, bytes, secrets));
  }
  return { scanned, bytes: total, hits };
}
