/**
 * `npm run bench [-- --json] [-- --only <figure> ...] [-- --quick]`: runs the benchmarks of
 * bench/figures/index.ts and prints a table for people, or with --json exactly
 * `{ "figures": { "<name>": { "value", "unit", "floor"?, "ratio"?, "goal"? } } }` on stdout.
 *
 * Exit codes: 0 every selected figure was measured (missed goals are reported, not fatal);
 * 1 a figure could not be measured (the command under test failed or crashed, or a harness
 * bug); 2 bad usage (unknown flag or figure name).
 */
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { BENCHMARKS } from "./figures/index.js";
import { renderFigures, runReliability } from "./reliability.js";
import { checkBuild, Context, FigureError, format, meetsGoal, progress, seconds, type Figure } from "./harness.js";

const USAGE = "usage: npm run bench -- [--json] [--only <figure>]... [--quick] | --reliability [--trials N] [--json]";

async function main(argv: string[]): Promise<number> {
  const names = BENCHMARKS.flatMap((b) => b.figures);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`figure "${dup}" is registered twice in bench/figures/index.ts`);
  const bad = names.find((n) => !/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(n));
  if (bad) throw new Error(`figure name "${bad}" is not snake_case`);

  let values: { json?: boolean; only?: string[]; quick?: boolean; help?: boolean; reliability?: boolean; trials?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { json: { type: "boolean" }, only: { type: "string", multiple: true }, quick: { type: "boolean" }, help: { type: "boolean", short: "h" }, reliability: { type: "boolean" }, trials: { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n${USAGE}\nfigures: ${names.join(", ")}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(
      `${USAGE}\n\n  --json        print { "figures": { ... } } on stdout (progress and the table go to stderr)\n  --only NAME   run only the benchmark measuring NAME (repeatable)\n  --quick       fewer repetitions (less precise, faster)\n  --reliability run the reliability suite (vitest project reliability) and print its figures; with --json { "reliability": { "<suite>": { ... } } }\n  --trials N    with --reliability: seeded trials per crash harness (RELIABILITY_TRIALS)\n\nfigures: ${names.join(", ")}\n`,
    );
    return 0;
  }
  if (values.reliability) return reliability(values);
  if (values.trials !== undefined) {
    process.stderr.write(`bench: --trials goes with --reliability\n${USAGE}\n`);
    return 2;
  }
  const only = values.only ?? [];
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown figure${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `"${n}"`).join(", ")}\nfigures: ${names.join(", ")}\n`);
    return 2;
  }
  const wanted = only.length > 0 ? names.filter((n) => only.includes(n)) : names;
  const selected = BENCHMARKS.filter((b) => b.figures.some((f) => wanted.includes(f)));

  checkBuild();
  const ctx = new Context(values.quick === true);
  const stop = (signal: NodeJS.Signals) => {
    ctx.cleanup();
    process.stderr.write(`bench: interrupted (${signal}); temporary folders removed\n`);
    process.exit(130);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);

  const started = performance.now();
  const results = new Map<string, Figure>();
  const failures = new Map<string, string>();
  try {
    for (const b of selected) {
      progress(`▶ ${b.figures.join(", ")}`);
      try {
        const out = await b.run(ctx);
        for (const f of b.figures) {
          const fig = out[f];
          if (!fig) throw new Error(`the benchmark of ${f} returned no figure "${f}"`);
          if (!Number.isFinite(fig.value) || (fig.ratio !== undefined && !Number.isFinite(fig.ratio))) throw new Error(`figure ${f} is not a finite number (${fig.value}, ratio ${fig.ratio})`);
          results.set(f, fig);
        }
      } catch (error) {
        const message = error instanceof FigureError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
        for (const f of b.figures) failures.set(f, message);
        progress(`✗ ${b.figures.join(", ")}: could not be measured: ${message}`);
      }
    }
  } finally {
    ctx.cleanup();
  }

  const table = render(wanted, results, failures, (performance.now() - started) / 1000, ctx.quick);
  if (values.json) {
    const figures: Record<string, { value: number; unit: string; floor?: number; ratio?: number; goal?: string }> = {};
    for (const name of wanted) {
      const f = results.get(name);
      if (!f) continue;
      figures[name] = { value: round(f.value), unit: f.unit };
      if (f.floor !== undefined) figures[name].floor = round(f.floor);
      if (f.ratio !== undefined) figures[name].ratio = round(f.ratio);
      if (f.goal !== undefined) figures[name].goal = f.goal.text;
    }
    process.stderr.write(table);
    process.stdout.write(JSON.stringify({ figures }, null, 2) + "\n");
  } else {
    process.stdout.write(table);
  }
  return failures.size > 0 ? 1 : 0;
}

/** `--reliability`: the reliability suite's figures (see ./reliability.ts). */
async function reliability(values: { json?: boolean; only?: string[]; quick?: boolean; trials?: string }): Promise<number> {
  const trials = values.trials === undefined ? undefined : Number(values.trials);
  if (trials !== undefined && (!Number.isInteger(trials) || trials < 1)) {
    process.stderr.write(`bench: --trials must be a whole number ≥ 1, got "${values.trials}"\n`);
    return 2;
  }
  if (values.only?.length || values.quick) {
    process.stderr.write(`bench: --only and --quick do not go with --reliability\n${USAGE}\n`);
    return 2;
  }
  checkBuild();
  const { code, suites } = await runReliability({ trials });
  const table = renderFigures(suites) + (code === 0 ? "" : `\nthe reliability suite FAILED (vitest exited ${code}); see its report above\n`);
  if (values.json) {
    process.stderr.write(table);
    process.stdout.write(JSON.stringify({ reliability: Object.fromEntries(suites.map((s) => [s.suite, s.figures])), ok: code === 0 }, null, 2) + "\n");
  } else process.stdout.write(table);
  return code === 0 ? 0 : 1;
}

/** 4 significant digits: enough for any figure, without float noise. */
function round(n: number): number {
  return Number(n.toPrecision(4));
}

function render(wanted: readonly string[], results: ReadonlyMap<string, Figure>, failures: ReadonlyMap<string, string>, elapsed: number, quick: boolean): string {
  const header = ["figure", "value", "unit", "floor", "ratio", "goal", "ok"];
  const rows: string[][] = [];
  let met = 0;
  let missed = 0;
  for (const name of wanted) {
    const f = results.get(name);
    if (!f) {
      rows.push([name, "—", "", "", "", "", "FAILED"]);
      continue;
    }
    const ok = meetsGoal(f);
    if (ok === true) met++;
    if (ok === false) missed++;
    rows.push([name, format(f.value), f.unit, f.floor === undefined ? "" : format(f.floor), f.ratio === undefined ? "" : f.ratio.toFixed(2), f.goal?.text ?? "", ok === undefined ? "—" : ok ? "ok" : "✗"]);
  }
  const numeric = new Set([1, 3, 4]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const out = ["", line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line), ""];
  for (const name of wanted) {
    const f = results.get(name);
    const failure = failures.get(name);
    if (f?.notes?.length) out.push(`${name}:`, ...f.notes.map((n) => `  ${n}`));
    if (failure) out.push(`${name}: FAILED, could not be measured:`, ...failure.split("\n").map((l) => `  ${l}`));
  }
  const failed = wanted.filter((n) => !results.has(n)).length;
  out.push("", `${results.size} figure${results.size === 1 ? "" : "s"} measured${quick ? " (--quick)" : ""}: ${met} goal${met === 1 ? "" : "s"} met, ${missed} missed${failed ? `, ${failed} FAILED` : ""}; ${seconds(elapsed)} in all`, "");
  return out.join("\n");
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
