/**
 * Secrets: with two secrets configured in the environment (one with a quote and non-ASCII, one
 * multi-line), tasks print them (stdout, stderr, ctx.log, progress), throw them, set them as
 * values and value keys, write them into tables (column values, column names, schema and field
 * metadata) and pass them on; the user passes one as a --param. Then every file the commands
 * left (the whole sandbox: workspace, Actions summary and outputs), and every stdout and stderr,
 * is scanned as raw bytes for every form of the secrets (secret-scan.ts). Found must be 0.
 */
import { mkdirSync, readdirSync, lstatSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, type CliResult } from "../e2e/cli.js";
import { recordFigures } from "./figures.js";
import { scanBytes, scanFiles, type SecretHit } from "./secret-scan.js";
import { sandbox, type Sandbox } from "./sandbox.js";

const SECRET = 'tok-7Hq"Ωmega\\9xZ-secret-value';
const MULTILINE = "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nAQEFAASCBKcwggSjAgEAAoIB\n-----END KEY-----";
const SECRETS = [SECRET, MULTILINE];
const ENV = { DAGSHIP_TEST_SECRET: SECRET, DAGSHIP_SECOND_SECRET: MULTILINE };

const LEAKY_TASK = `import { tableFromArrays } from "apache-arrow";

const s = () => process.env.DAGSHIP_TEST_SECRET ?? "";
const m = () => process.env.DAGSHIP_SECOND_SECRET ?? "";

/** Prints, logs, reports progress with, sets as values and writes into a table both secrets. */
export default async (ctx: any) => {
  ctx.log.info(\`info \${s()}\`);
  ctx.log.warn(\`warn \${m()}\`);
  ctx.log.error(\`error \${JSON.stringify({ token: s() })}\`);
  console.log(\`stdout \${s()}\`);
  console.error(\`stderr \${m()}\`);
  process.stdout.write(\`split \${s().slice(0, 6)}\`);
  await new Promise((r) => setTimeout(r, 30));
  process.stdout.write(\`\${s().slice(6)} end\\n\`);
  ctx.progress(0.5, \`progress \${s()}\`);
  ctx.values.set("plain", \`value \${s()}\`);
  ctx.values.set("nested", { deep: [s(), { m: m() }], [\`key \${s()}\`]: 1 });
  ctx.values.set("param", String(ctx.params.p));
};

/** Writes both secrets into a table: values, a column name, schema and field metadata. */
export async function table(ctx: any) {
  const table = tableFromArrays({ who: ["alice", \`token \${s()}\`, m()], [\`col \${s()}\`]: Float64Array.from([1, 2, 3]) });
  table.schema.metadata.set("origin", \`schema \${m()}\`);
  table.schema.fields[0].metadata.set("note", \`field \${s()}\`);
  await ctx.tables.write("people", table);
}

/** Reads what upstream left and prints it again. */
export async function after(ctx: any) {
  console.log("upstream value", JSON.stringify(ctx.values.get("print", "nested")));
}

/** Throws both secrets, in the message and the stack. */
export async function throws(ctx: any) {
  console.error(\`about to throw \${s()}\`);
  const error = new Error(\`thrown \${s()} and \${m()}\`);
  (error as any).detail = s();
  throw error;
}

/** Exits abruptly after printing a secret without a newline. */
export async function exits() {
  process.stderr.write(\`dying with \${s()}\`);
  process.exit(7);
}
`;

const JOB = {
  name: "leaky",
  parameters: [{ name: "p", default: "none" }],
  tasks: [
    { task_key: "print", ts_task: { module: "tasks/leaky.ts", parameters: { p: "{{job.parameters.p}}" } } },
    { task_key: "after", depends_on: [{ task_key: "print" }], ts_task: { module: "tasks/leaky.ts", export: "after" } },
    { task_key: "table", ts_task: { module: "tasks/leaky.ts", export: "table" } },
    { task_key: "throws", ts_task: { module: "tasks/leaky.ts", export: "throws" }, max_retries: 1 },
    { task_key: "exits", ts_task: { module: "tasks/leaky.ts", export: "exits" } },
  ],
};

let box: Sandbox;
const outputs: Array<{ what: string; r: CliResult }> = [];

/** Every regular file below `dir` (links not followed); none when it does not exist. */
function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const p = path.join(dir, name);
    const st = lstatSync(p);
    return st.isDirectory() ? (name === "node_modules" ? [] : filesUnder(p)) : st.isFile() ? [p] : [];
  });
}

/**
 * The files scanned, by set. One more set (e.g. the HTML run report) is one more line here.
 */
const FILE_SETS: Record<string, () => string[]> = {
  workspace: () => filesUnder(path.join(box.dir, ".dagship")),
  actions: () => filesUnder(path.join(box.parent, "actions")),
  repository: () => filesUnder(box.dir).filter((f) => !f.includes(`${path.sep}.dagship${path.sep}`)),
  reports: () => filesUnder(path.join(box.parent, "reports")),
};

async function cli(what: string, args: string[], extra: Record<string, string> = {}): Promise<CliResult> {
  const r = await box.cli(args, { ...ENV, ...extra });
  outputs.push({ what, r });
  return r;
}

function actions(name: string): Record<string, string> {
  const dir = path.join(box.parent, "actions");
  mkdirSync(dir, { recursive: true });
  return { GITHUB_ACTIONS: "true", CI: "true", GITHUB_STEP_SUMMARY: path.join(dir, `${name}.summary.md`), GITHUB_OUTPUT: path.join(dir, `${name}.output`) };
}

beforeAll(() => {
  assertBuilt();
  box = sandbox({ fixture: "runner-repo", git: false });
  writeFileSync(path.join(box.dir, "environments", "dev.yaml"), "name: dev\nworkspace:\n  path: .dagship/dev\nsecrets:\n  - DAGSHIP_TEST_SECRET\n  - DAGSHIP_SECOND_SECRET\n");
  mkdirSync(path.join(box.dir, "jobs", "leaky", "tasks"), { recursive: true });
  writeFileSync(path.join(box.dir, "jobs", "leaky", "job.json"), JSON.stringify(JOB, null, 2));
  writeFileSync(path.join(box.dir, "jobs", "leaky", "tasks", "leaky.ts"), LEAKY_TASK);
});

afterAll(() => { if (!process.env.KEEP_SANDBOX) box.remove(); });

describe("secrets never reach a file, an output, a summary or a record", () => {
  it("tasks that leak them every way, run, inspected and repaired, plain and in Actions mode, leave none anywhere", async () => {
    // A secret passed as a parameter would be recorded in the run: refused, naming the variable.
    const param = await cli("run --param <secret>", ["run", "leaky", "--param", `p=x${SECRET.split("\n")[0]}y`]);
    expect([param.code, param.stderr]).toEqual([2, expect.stringMatching(/DS2062 --param p holds the value of the secret DAGSHIP_TEST_SECRET/)]);
    const named = await cli("run --param <secret>=1", ["run", "leaky", "--param", `${MULTILINE.split("\n")[1]}=1`]);
    expect(named.stderr).toMatch(/DS2062 a --param name holds the value of the secret DAGSHIP_SECOND_SECRET/);
    const first = await cli("run", ["run", "leaky"]);
    expect(first.code, first.stderr).toBe(1); // throws and exits fail: the run fails
    const json = await cli("run --json", ["run", "leaky", "--json"]);
    const runId = (JSON.parse(json.stdout) as { run_id: string }).run_id;
    // The tasks did get the secrets, and did leak them every way: what is masked is really there.
    const record = JSON.parse(json.stdout) as { tasks: Record<string, { state: string; values: Record<string, unknown>; attempts: Array<{ error?: { message: string } }> }> };
    expect(record.tasks.print!.state).toBe("SUCCESS");
    expect(record.tasks.print!.values.plain).toBe("value ***");
    // A table holding a secret is refused, naming the variable, not the value.
    expect(record.tasks.table!.state).toBe("FAILED");
    expect(record.tasks.table!.attempts[0]!.error!.message).toMatch(/secret DAGSHIP_(TEST|SECOND)_SECRET/);
    await cli("status", ["status", runId]);
    await cli("status --json", ["status", runId, "--json"]);
    await cli("runs", ["runs"]);
    await cli("runs --json", ["runs", "leaky", "--json"]);
    await cli("run in Actions", ["run", "leaky"], actions("run"));
    await cli("run --json in Actions", ["run", "leaky", "--json"], actions("run-json"));
    await cli("repair in Actions", ["repair", runId], actions("repair"));
    await cli("status in Actions", ["status", runId, "--json"], actions("status"));
    await cli("validate in Actions", ["validate"], actions("validate"));
    // The HTML report: written into the run's folder by run and repair (scanned with the
    // workspace), and by `dagship report` wherever it is asked to.
    mkdirSync(path.join(box.parent, "reports"), { recursive: true });
    const report = await cli("report --html", ["report", runId, "--html", path.join(box.parent, "reports", "run.html")]);
    expect(report.code, report.stderr).toBe(0);
    expect(FILE_SETS.workspace!().filter((f) => f.endsWith("report.html")).length).toBeGreaterThan(0);

    const sets = Object.fromEntries(Object.entries(FILE_SETS).map(([name, files]) => [name, scanFiles(files(), SECRETS)]));
    // `::add-mask::<value>` is how a secret is registered with the Actions runner, which consumes the line.
    const printed = (text: string) => Buffer.from(text.split("\n").filter((l) => !l.startsWith("::add-mask::")).join("\n"));
    const outputHits: SecretHit[] = outputs.flatMap(({ what, r }) => [...scanBytes(`stdout of ${what}`, printed(r.stdout), SECRETS), ...scanBytes(`stderr of ${what}`, printed(r.stderr), SECRETS)]);
    const hits = [...Object.values(sets).flatMap((s) => s.hits), ...outputHits];
    const files_scanned = Object.values(sets).reduce((n, s) => n + s.scanned, 0);
    recordFigures({
      suite: "secrets",
      figures: {
        files_scanned,
        bytes_scanned: Object.values(sets).reduce((n, s) => n + s.bytes, 0),
        outputs_scanned: outputs.length * 2,
        secrets_found: hits.length,
      },
      notes: hits.length ? hits.slice(0, 20).map((h) => `${h.where}: ${h.form} of ${h.secret}`) : [`file sets: ${Object.keys(FILE_SETS).join(", ")}`],
    });
    expect(files_scanned).toBeGreaterThan(20);
    expect(sets.actions!.scanned).toBeGreaterThanOrEqual(4);
    expect(hits.map((h) => `${h.where.replace(box.parent, "")}: ${h.form}`)).toEqual([]);
  });
});
