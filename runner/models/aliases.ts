/**
 * Moving aliases. Every move happens under the model's alias lock, is first appended to the audit
 * log (fsync'ed) and then made by replacing `aliases.json` atomically: a crash leaves the alias
 * where it was or where it moved, never a torn file, and never a move the log does not show.
 */
import { DagshipError } from "../errors.js";
import { ALIAS_LOCK_TIMEOUT_MS, withLock } from "./lock.js";
import { appendAudit } from "./audit.js";
import { checkAliasName } from "./names.js";
import type { ModelRegistry } from "./store.js";
import type { Actor, Aliases } from "./types.js";
import { writeJsonAtomic } from "../workspace/atomic.js";

/** An alias move: the version it named before and after (null: unset). */
export interface AliasMove {
  alias: string;
  from: number | null;
  to: number | null;
}

/** Options of {@link moveAlias}. */
export interface AliasMoveOptions {
  /** Why the alias moves (recorded in the audit entry), e.g. "gate passed: auc 0.93 ≥ 0.92 + 0.001". */
  reason?: string;
  /** The run that moves it (a task's `ctx.models.setAlias`), recorded in the audit entry. */
  run?: AliasRun;
  /**
   * Compare-and-set: move only if the alias still names this version (null: is unset) when the
   * lock is held; otherwise throw {@link AliasConflictError} and change nothing. Undefined: move
   * whatever the alias names.
   */
  expect?: number | null;
  lockTimeoutMs?: number;
}

/** The run and task that moved an alias. */
export interface AliasRun {
  job: string | null;
  run_id: string | null;
  task_key: string | null;
}

/**
 * The alias no longer names the version the caller expected (someone moved it in between):
 * `DS2023`, exit 1. Nothing changed.
 */
export class AliasConflictError extends DagshipError {
  constructor(message: string, options: { hint?: string } = {}) {
    super("DS2023", message, options);
  }
}

/**
 * Points `alias` of model `name` at `version` (verified first), or removes it when `version` is
 * null, and records the move in the audit log. Moving an alias to where it already is records
 * nothing.
 *
 * @example
 * ```ts
 * await moveAlias(registry, "reviews", "champion", 3, actor); // { alias: "champion", from: 2, to: 3 }
 * await moveAlias(registry, "reviews", "champion", 4, actor, { expect: 3, reason: "gate passed" }); // only if it still names 3
 * ```
 */
export async function moveAlias(registry: ModelRegistry, name: string, alias: string, version: number | null, actor: Actor, options: AliasMoveOptions = {}): Promise<AliasMove> {
  checkAliasName(alias);
  const paths = registry.paths(name);
  if (version !== null) registry.verify(name, version);
  else if (registry.versions(name).length === 0) registry.meta(name, 1); // unknown model: DS2017
  return withLock(paths.aliasesLock, options.lockTimeoutMs ?? ALIAS_LOCK_TIMEOUT_MS, () => {
    const aliases = registry.aliases(name);
    const from = aliases[alias] ?? null;
    if (options.expect !== undefined && from !== options.expect && from !== version) {
      const named = (v: number | null) => (v === null ? "unset" : `v${v}`);
      throw new AliasConflictError(`${alias} of model "${name}" in ${registry.where()} is ${named(from)}, not ${named(options.expect)} as expected: it moved meanwhile; nothing changed`, { hint: "evaluate against the current one and try again" });
    }
    if (from === version) return { alias, from, to: version };
    const extra = { ...(options.reason === undefined ? {} : { reason: options.reason }), ...(options.run === undefined ? {} : { run: options.run }) };
    appendAudit(paths, { event: "alias", at: new Date().toISOString(), env: registry.env, model: name, who: actor.who, git_sha: actor.git_sha, alias, from, to: version, ...extra });
    writeAliases(registry, name, aliases, alias, version);
    return { alias, from, to: version };
  });
}

/**
 * Replaces `aliases.json` with `alias` moved to `version` (removed for null). Callers hold the
 * alias lock and have already written the audit entry.
 */
export function writeAliases(registry: ModelRegistry, name: string, current: Aliases, alias: string, version: number | null): void {
  const next: Aliases = { ...current };
  if (version === null) delete next[alias];
  else next[alias] = version;
  const sorted = Object.fromEntries(Object.keys(next).sort().map((k) => [k, next[k]!]));
  writeJsonAtomic(registry.paths(name).aliases, sorted);
}
