import { UsageError } from "../../errors.js";
import { importDatabricks } from "../../importers/databricks/index.js";
import { formatImport } from "../../importers/databricks/report.js";
import { closest } from "../../spec/suggest.js";
import { parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { formatDiagnostic } from "../output/diagnostics.js";

/** Source kinds `dagship import` knows. */
const KINDS = ["databricks"] as const;

/** `dagship import`: see the command list in ./index.ts for its usage. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("import", argv, { out: { type: "string" }, force: { type: "boolean" } });
  const [kind, file, ...extra] = positionals;
  const usage = "usage: dagship import databricks <file> [--out <dir>] [--force] [--json]";
  if (kind === undefined) throw new UsageError("dagship import needs a source kind and a file", { hint: usage });
  if (!(KINDS as readonly string[]).includes(kind)) {
    const best = closest(kind, KINDS);
    throw new UsageError(`unknown source kind "${kind}" for dagship import`, { hint: `${best ? `did you mean "${best}"? ` : ""}known source kinds: ${KINDS.join(", ")}` });
  }
  if (file === undefined) throw new UsageError(`dagship import ${kind} needs the file to import`, { hint: usage });
  if (extra.length) throw new UsageError(`dagship import ${kind} takes one file, got ${positionals.length - 1}`, { hint: "import each file on its own" });
  if (values.out === "") throw new UsageError("--out needs a folder", { hint: usage });

  const result = await importDatabricks(file, {
    cwd: io.cwd,
    ...(typeof values.out === "string" ? { out: values.out } : {}),
    force: values.force === true,
  });
  if (values.json) {
    io.stdout(JSON.stringify({ ok: result.validation.ok, ...result }, null, 2) + "\n");
  } else {
    io.stdout(formatImport(result));
    for (const d of result.validation.errors) io.stderr(formatDiagnostic(d));
  }
  return result.validation.ok ? 0 : 1;
}
