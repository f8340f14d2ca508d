/**
 * Moving aliases. Every move happens under the model's alias lock, is first appended to the audit
 * log (fsync'ed) and then made by replacing `aliases.json` atomically: a crash leaves the alias
 * where it was or where it moved, never a torn file, and never a move the log does not show.
 */
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

/**
 * Points `alias` of model `name` at `version` (verified first), or removes it when `version` is
 * null, and records the move in the audit log. Moving an alias to where it already is records
 * nothing.
 *
 * @example
 * ```ts
 * await moveAlias(registry, "reviews", "champion", 3, actor); // { alias: "champion", from: 2, to: 3 }
 * ```
 */
export async function moveAlias(registry: ModelRegistry, name: string, alias: string, version: number | null, actor: Actor, lockTimeoutMs = ALIAS_LOCK_TIMEOUT_MS): Promise<AliasMove> {
  checkAliasName(alias);
  const paths = registry.paths(name);
  if (version !== null) registry.verify(name, version);
  else if (registry.versions(name).length === 0) registry.meta(name, 1); // unknown model: DS2017
  return withLock(paths.aliasesLock, lockTimeoutMs, () => {
    const aliases = registry.aliases(name);
    const from = aliases[alias] ?? null;
    if (from === version) return { alias, from, to: version };
    appendAudit(paths, { event: "alias", at: new Date().toISOString(), env: registry.env, model: name, who: actor.who, git_sha: actor.git_sha, alias, from, to: version });
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
