import path from "node:path";
import { UsageError } from "../../errors.js";
import { initProject } from "../../templates/project.js";
import { parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";

/** `dagship init`: see the command list in ./index.ts for its usage. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("init", argv, {
    template: { type: "string" },
    link: { type: "boolean" },
    name: { type: "string" },
  });
  const usage = "usage: dagship init <dir> [--template <name>] [--link] [--name <project-name>] [--json]";
  if (positionals.length !== 1) throw new UsageError(`dagship init takes one folder, got ${positionals.length}`, { hint: usage });
  for (const flag of ["template", "name"] as const) {
    if (values[flag] === "") throw new UsageError(`--${flag} needs a value`, { hint: usage });
  }
  const dir = path.resolve(io.cwd, positionals[0]!);
  const result = initProject(dir, {
    ...(typeof values.template === "string" ? { template: values.template } : {}),
    ...(typeof values.name === "string" ? { name: values.name } : {}),
    link: values.link === true,
  });
  if (values.json) {
    io.stdout(JSON.stringify({ ok: true, ...result }, null, 2) + "\n");
    return 0;
  }
  const relative = path.relative(io.cwd, result.dir);
  const shown = relative === "" ? "." : relative.startsWith("..") || path.isAbsolute(relative) ? result.dir : relative;
  const cd = shown === "." ? "" : `cd ${/^[\w./-]+$/.test(shown) ? shown : JSON.stringify(shown)} && `;
  io.stdout(
    [
      `created ${result.name} in ${shown} from template "${result.template}" (${result.files.length} files; dagship ${result.dependency})`,
      "",
      "next:",
      `  ${cd}npm install`,
      `  npx dagship validate`,
      `  npx dagship run ${result.job}`,
      `  npm test`,
      "",
    ].join("\n"),
  );
  return 0;
}
