import type { Io } from "./io.js";

/** A CLI command: parses its own arguments and returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Extra lines for `dagship <command> --help`. */
  help: string;
  run(argv: string[], io: Io): Promise<number>;
}
