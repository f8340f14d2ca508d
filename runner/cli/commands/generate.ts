import { UsageError } from "../../errors.js";
import { findRoot } from "../../spec/repository.js";
import { closest } from "../../spec/suggest.js";
import { generateWorkflows } from "../../templates/generate.js";
import { parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";

/** What `dagship generate` can generate. */
const KINDS = ["workflows"] as const;

/** `dagship generate`: see the command list in ./index.ts for its usage. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("generate", argv, { check: { type: "boolean" } });
  const usage = "usage: dagship generate workflows [--check] [--json]";
  const [kind, ...extra] = positionals;
  if (kind === undefined) throw new UsageError("dagship generate needs what to generate", { hint: usage });
  if (!(KINDS as readonly string[]).includes(kind)) {
    const best = closest(kind, KINDS);
    throw new UsageError(`dagship generate cannot generate "${kind}"`, { hint: `${best ? `did you mean "${best}"? ` : ""}it generates: ${KINDS.join(", ")}` });
  }
  if (extra.length) throw new UsageError(`dagship generate ${kind} takes no further arguments, got "${extra.join(" ")}"`, { hint: usage });

  const check = values.check === true;
  const result = generateWorkflows(findRoot(io.cwd), { check });
  const ok = !check || (result.drifted.length === 0 && result.stale.length === 0);
  if (values.json) {
    io.stdout(JSON.stringify({ ok, ...result }, null, 2) + "\n");
    return ok ? 0 : 1;
  }
  if (check) {
    for (const file of result.drifted) io.stderr(`${file}: out of date with its template\n`);
    for (const file of result.stale) io.stderr(`${file}: generated, but its template no longer exists\n`);
    io.stdout(ok ? `✓ ${result.unchanged.length} workflows up to date\n` : `✗ ${result.drifted.length + result.stale.length} workflow files out of date; run: dagship generate workflows\n`);
    return ok ? 0 : 1;
  }
  for (const file of result.drifted) io.stdout(`wrote ${file}\n`);
  for (const file of result.stale) io.stdout(`removed ${file}\n`);
  io.stdout(`✓ ${result.drifted.length} written, ${result.stale.length} removed, ${result.unchanged.length} unchanged\n`);
  return 0;
}
