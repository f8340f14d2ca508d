/**
 * A model's append-only audit log, `audit.jsonl`: one JSON object per line for every registration,
 * alias move and gate decision. Each line goes out in one write and is fsync'ed before the change
 * it records is made, so the log never misses a change; a crash can at worst leave a last line cut
 * short, which readers skip (the change it announced was not made).
 */
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import type { ModelPaths } from "./layout.js";
import type { AuditEntry } from "./types.js";

/**
 * Appends one entry (fsync'ed). Callers hold the lock of what the entry changes.
 *
 * @example
 * ```ts
 * appendAudit(paths, { event: "alias", at, env: "prod", model: "reviews", who, git_sha, alias: "champion", from: 2, to: 3 });
 * ```
 */
export function appendAudit(paths: ModelPaths, entry: AuditEntry): void {
  const line = Buffer.from(JSON.stringify(entry) + "\n");
  const fd = openSync(paths.audit, "a", 0o644);
  try {
    for (let off = 0; off < line.length; ) off += writeSync(fd, line, off, line.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Every entry of a model's audit log, oldest first (none if the model has no log yet). A line that
 * does not parse (a write cut short by a crash) is skipped.
 *
 * @example
 * ```ts
 * readAudit(paths).filter((e) => e.event === "gate");
 * ```
 */
export function readAudit(paths: ModelPaths): AuditEntry[] {
  let text: string;
  try {
    text = readFileSync(paths.audit, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const out: AuditEntry[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      out.push(JSON.parse(line) as AuditEntry);
    } catch {
      // a torn last line: its change was never made
    }
  }
  return out;
}
