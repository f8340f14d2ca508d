import type { Command } from "../command.js";

/** Every command of the CLI, in the order help lists them. */
export const COMMANDS: readonly Command[] = [
  {
    name: "validate",
    summary: "check jobs and environment files and report every problem, located",
    usage: "dagship validate [job | job.json | folder | env.yaml ...] [--json]",
    help: [
      "Without arguments, validates every jobs/<job>/job.json and environments/*.yaml of the repository.",
      "Exit codes: 0 valid, 1 problems found, 2 bad usage or unreadable input.",
      "--json prints { ok, errors: [{ file, pointer, line, column, code, message, hint? }], checked }.",
    ].join("\n"),
    load: () => import("./validate.js"),
  },
];
