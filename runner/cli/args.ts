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
    if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      throw new UsageError(`${e.message.replace(/^Option /, "flag ")} (dagship ${command})`, { hint: `run: dagship ${command} --help` });
    }
    throw new UsageError(e.message, { hint: `run: dagship ${command} --help` });
  }
}
