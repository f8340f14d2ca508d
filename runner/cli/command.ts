import type { Io } from "./io.js";

/** A command's implementation: parses its own arguments and returns the process exit code. */
export interface CommandModule {
  run(argv: string[], io: Io): Promise<number>;
}

/**
 * A CLI command as listed in help. Its implementation is loaded only when it runs, so that
 * `dagship --help` or one command never pays for the dependencies of the others.
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Extra lines for `dagship <command> --help`. */
  help: string;
  load(): Promise<CommandModule>;
}
