import { DagshipError, UsageError } from "../errors.js";
import { packageInfo } from "../package-info.js";
import { didYouMean } from "../spec/suggest.js";
import { COMMANDS } from "./commands/index.js";
import { safeText } from "./output/safe-text.js";
import { processIo, type Io } from "./io.js";

/** Exit code of an unexpected internal error (a bug in dagship), distinct from 1 and 2. */
export const EXIT_INTERNAL = 3;

/**
 * Runs the dagship CLI and returns its exit code: 0 success, 1 the job failed or validation
 * found errors, 2 bad usage or configuration, 3 an internal error. Every typed error is mapped
 * to a message here, and only here.
 *
 * @example
 * ```ts
 * process.exitCode = await main(["validate", "--json"]);
 * ```
 */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const json = argv.includes("--json");
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      io.stderr(helpText());
      return 2;
    }
    if (name === "--help" || name === "-h" || name === "help") {
      io.stdout(helpText());
      return 0;
    }
    if (name === "--version" || name === "-v") {
      io.stdout(`${packageInfo().version}\n`);
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      throw new UsageError(`unknown command "${name}"`, { hint: didYouMean(name, COMMANDS.map((c) => c.name), "commands") });
    }
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout(`usage: ${command.usage}\n\n${command.summary}\n\n${command.help}\n`);
      return 0;
    }
    return await (await command.load()).run(rest, io);
  } catch (error) {
    return reportError(error, io, json);
  }
}

function reportError(error: unknown, io: Io, json: boolean): number {
  if (error instanceof DagshipError) {
    // One line, hint included, so scripts and CI logs show the whole story in one place; what the
    // user typed is in it, so control and bidi characters are escaped rather than sent to the terminal.
    io.stderr(`dagship: error ${error.code} ${safeText(`${error.message}${error.hint ? ` (${error.hint})` : ""}`)}\n`);
    if (json) io.stdout(JSON.stringify({ ok: false, error: { code: error.code, message: error.message, hint: error.hint } }) + "\n");
    return error.exitCode;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  const frame = e.stack?.split("\n").find((l) => l.trim().startsWith("at "))?.trim();
  io.stderr(
    `dagship: internal error DS9999 ${safeText(e.message)}\n` +
      (frame ? `  ${frame}\n` : "") +
      (io.env.DAGSHIP_DEBUG ? `${e.stack}\n` : "  this is a bug in dagship: rerun with DAGSHIP_DEBUG=1 for the full stack and report it\n"),
  );
  if (json) io.stdout(JSON.stringify({ ok: false, error: { code: "DS9999", message: e.message } }) + "\n");
  return EXIT_INTERNAL;
}

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "usage: dagship <command> [options]",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Every command takes --json (machine-readable output on stdout) and --help.",
    "Exit codes: 0 success, 1 job failed or validation errors, 2 bad usage or configuration, 3 internal error.",
    "",
  ].join("\n");
}
