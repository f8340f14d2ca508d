import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../errors.js";
import { didYouMean } from "../spec/suggest.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** Parsed flags (by long name) and positional arguments. */
export interface ParsedArgs {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
}

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies OptionSpec;

/**
 * Parses a command's arguments strictly: an unknown flag or a missing value is a
 * {@link UsageError} (exit 2) that suggests the closest known flag.
 *
 * @example
 * ```ts
 * const { values, positionals } = parseCommandArgs("validate", ["--jsno"], { env: { type: "string" } });
 * // throws UsageError: unknown flag "--jsno" for "dagship validate" (did you mean "--json"?)
 * ```
 */
export function parseCommandArgs(command: string, argv: string[], options: OptionSpec): ParsedArgs {
  const all = { ...COMMON_OPTIONS, ...options };
  try {
    return parseArgs({ args: argv, options: all, allowPositionals: true, strict: true });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const flag = /'(-{1,2}[^'\s]+)/.exec(e.message)?.[1];
    const names = Object.keys(all).map((n) => `--${n}`);
    if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && flag) {
      throw new UsageError(`unknown flag "${flag}" for "dagship ${command}"`, { hint: didYouMean(flag, names, "flags") });
    }
    if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && / is ambiguous/.test(e.message) && flag) {
      // `--limit -1`: node:util reads -1 as a flag. One line, with the way to pass it.
      throw new UsageError(`flag "${flag}" needs a value; a value that starts with "-" is written ${flag}=<value> (dagship ${command})`, { hint: `run: dagship ${command} --help` });
    }
    if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      throw new UsageError(`${oneLine(e.message).replace(/^Option /, "flag ")} (dagship ${command})`, { hint: `run: dagship ${command} --help` });
    }
    throw new UsageError(oneLine(e.message), { hint: `run: dagship ${command} --help` });
  }
}

function oneLine(message: string): string {
  return message.split("\n").map((l) => l.trim()).filter(Boolean).join(" ");
}

/**
 * A whole-number flag such as `--concurrency` or `--limit`: plain decimal digits only (no `1e3`,
 * `0x10`, ` 2` or `1.5`) from `min` to `max`; anything else is a {@link UsageError} naming it.
 *
 * @example
 * ```ts
 * wholeNumberFlag("--limit", "20", { min: 1, max: 1_000_000 }); // 20
 * wholeNumberFlag("--limit", "1e3", { min: 1, max: 1_000_000 }); // throws: --limit must be a whole number from 1 to 1000000, got "1e3"
 * ```
 */
export function wholeNumberFlag(flag: string, raw: unknown, range: { min: number; max: number }): number {
  const n = typeof raw === "string" && /^[0-9]{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= range.min && n <= range.max)) throw new UsageError(`${flag} must be a whole number from ${range.min} to ${range.max}, got "${String(raw)}"`);
  return n;
}
