import { UsageError } from "../../../errors.js";
import { ModelRegistry } from "../../../models/store.js";
import { parseVersion } from "../../../models/names.js";
import type { EnvironmentContext } from "../../../workspace/environment.js";
import type { ParsedArgs } from "../../args.js";

/** The registry of an environment's workspace. */
export function registryOf(env: EnvironmentContext): ModelRegistry {
  return new ModelRegistry(env.workspace, env.name);
}

/** `--version N` as a number; required unless `optional`. */
export function versionFlag(values: ParsedArgs["values"], command: string, optional: true): number | undefined;
export function versionFlag(values: ParsedArgs["values"], command: string, optional?: false): number;
export function versionFlag(values: ParsedArgs["values"], command: string, optional = false): number | undefined {
  const v = values.version;
  if (v === undefined) {
    if (optional) return undefined;
    throw new UsageError(`dagship models ${command} needs --version N`, { hint: "see the versions with: dagship models show <name>" });
  }
  return parseVersion(String(v));
}

/** Exactly `n` positional arguments named `what`. */
export function positionalsOf(command: string, positionals: string[], what: string[]): string[] {
  if (positionals.length !== what.length) throw new UsageError(`dagship models ${command} takes ${what.map((w) => `<${w}>`).join(" ")}, got ${positionals.length} argument${positionals.length === 1 ? "" : "s"}`, { hint: "run: dagship models --help" });
  return positionals;
}

/** `{ "champion": 3 }` → "champion → v3". */
export function formatAliases(aliases: Record<string, number>): string {
  const entries = Object.entries(aliases);
  return entries.length ? entries.map(([a, v]) => `${a} → v${v}`).join(", ") : "none";
}

/** A metrics map as `auc=0.91 accuracy=0.86`. */
export function formatMetrics(metrics: Record<string, number> | null | undefined): string {
  if (!metrics) return "";
  return Object.entries(metrics)
    .map(([k, v]) => `${k}=${Number(v.toPrecision(6))}`)
    .join(" ");
}
