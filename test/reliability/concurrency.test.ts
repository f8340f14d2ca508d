/**
 * Concurrency through the real CLI: 20 runs of one job started at once never have more than
 * `max_concurrent_runs` active (task start/end in a ledger, checked for overlap) and the rest are
 * refused naming the active runs; 5 concurrent deploys to one environment serialise into one
 * consistent history whose current deployment verifies; concurrent alias moves and promotions
 * to one target serialise (the audit log is one chain; the champion is a real, verified version).
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, mkdirSync, readdirSync, renameSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerVersion } from "../../runner/models/index.js";
import { EVALUATOR, model, rowsCutAt, writeDataset } from "../integration/models/helpers.js";
import { assertBuilt, type CliResult } from "../e2e/cli.js";
import { recordFigures } from "./figures.js";
import { pool, sandbox, type Sandbox } from "./sandbox.js";

const figures: Record<string, number> = {};
const boxes: Sandbox[] = [];
afterAll(() => {
  recordFigures({ suite: "concurrency", figures });
  boxes.forEach((b) => b.remove());
});
beforeAll(assertBuilt);

/** Starts every command line at the same moment (each its own process) and waits for all. */
function together(box: Sandbox, commands: string[][], env: Record<string, string> = {}): Promise<CliResult[]> {
  return Promise.all(commands.map((args) => box.cli(args, env)));
}

const RUN_ID = /r\d{8}T\d{6}-[0-9a-f]{6}/g;

describe("max_concurrent_runs", () => {
  it("20 runs started at once: never more than N active, the rest refused naming the active runs", async () => {
    const N = 3;
    const box = sandbox({ fixture: "runner-repo", git: false });
    boxes.push(box);
    const ledger = path.join(box.parent, "ledger.txt");
    mkdirSync(path.join(box.dir, "jobs", "busy", "tasks"), { recursive: true });
    writeFileSync(
      path.join(box.dir, "jobs", "busy", "tasks", "hold.ts"),
      `import { appendFileSync } from "node:fs";
export default async (ctx: any) => {
  appendFileSync(ctx.params.ledger, \`start \${ctx.job.run_id} \${Date.now()}\\n\`);
  await new Promise((r) => setTimeout(r, 1500));
  appendFileSync(ctx.params.ledger, \`end \${ctx.job.run_id} \${Date.now()}\\n\`);
};
`,
    );
    writeFileSync(
      path.join(box.dir, "jobs", "busy", "job.json"),
      JSON.stringify({ name: "busy", max_concurrent_runs: N, parameters: [{ name: "ledger", default: "" }], tasks: [{ task_key: "hold", ts_task: { module: "tasks/hold.ts", parameters: { ledger: "{{job.parameters.ledger}}" } } }] }),
    );
    const results = await together(box, Array.from({ length: 20 }, () => ["run", "busy", "--param", `ledger=${ledger}`]));
    const ok = results.filter((r) => r.code === 0);
    const refused = results.filter((r) => r.code === 2);
    expect(results.filter((r) => r.code !== 0 && r.code !== 2).map((r) => r.stderr)).toEqual([]);
    expect(ok.length).toBeGreaterThanOrEqual(N);
    for (const r of refused) {
      expect(r.stderr).toMatch(/^dagship: error DS2007 job "busy" already has \d+ active runs? \(r\d{8}T/);
      const named = r.stderr.match(RUN_ID) ?? [];
      expect(named.length).toBeGreaterThanOrEqual(N);
    }
    // The ledger: at no moment more than N tasks between their start and their end.
    const events = readFileSync(ledger, "utf8").trim().split("\n").map((l) => l.split(" ")).map(([kind, run, at]) => ({ kind: kind!, run: run!, at: Number(at) }));
    expect(events.filter((e) => e.kind === "start")).toHaveLength(ok.length);
    expect(events.filter((e) => e.kind === "end")).toHaveLength(ok.length);
    let active = 0;
    let peak = 0;
    for (const e of [...events].sort((a, b) => a.at - b.at || (a.kind === "end" ? -1 : 1))) {
      active += e.kind === "start" ? 1 : -1;
      peak = Math.max(peak, active);
    }
    expect(peak).toBeLessThanOrEqual(N);
    // The refused runs left nothing: every run folder is one that ran.
    expect(readdirSync(path.join(box.dir, ".dagship", "dev", "runs")).sort()).toEqual([...new Set(events.map((e) => e.run))].sort());
    Object.assign(figures, { runs_started: 20, runs_admitted: ok.length, runs_refused: refused.length, peak_active: peak, max_concurrent_runs: N });
  });
});

describe("deploys to one environment", () => {
  it("5 at once, twice (the second time from changed code): one consistent history, and every bundle of the current deployment verifies", async () => {
    const box = sandbox({ fixture: "deploy-repo" });
    boxes.push(box);
    const deploy = ["deploy", "--env", "staging", "--json"];
    const first = await together(box, Array.from({ length: 5 }, () => deploy));
    expect(first.map((r) => [r.code, r.stderr.match(/DS\d{4}.*/)?.[0]])).toEqual(Array.from({ length: 5 }, () => [0, undefined]));
    const bodies = first.map((r) => JSON.parse(r.stdout) as { seq: number; noop: boolean });
    // Same content: one of them deployed it, the others found nothing changed.
    expect(bodies.filter((b) => !b.noop), JSON.stringify(bodies)).toHaveLength(1);
    // Then five deploys while the code changes under them.
    const extract = path.join(box.dir, "jobs", "etl", "tasks", "extract.ts");
    const original = readFileSync(extract, "utf8");
    const second = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        // Staggered so that they overlap but read different code.
        await new Promise((r) => setTimeout(r, i * 200));
        // As an editor saves: a new file renamed over the old, so no deploy reads half of it.
        writeFileSync(`${extract}.tmp`, `${original}\nexport const variant = ${i};\n`);
        renameSync(`${extract}.tmp`, extract);
        return box.cli(deploy);
      }),
    );
    expect(second.map((r) => [r.code, r.code === 0 ? undefined : r.stderr.slice(0, 400)])).toEqual(Array.from({ length: 5 }, () => [0, undefined]));
    const ns = path.join(box.dir, ".dagship", "staging", "deployments", "namespaces", "default");
    const history = readdirSync(path.join(ns, "history")).sort().map((f) => JSON.parse(readFileSync(path.join(ns, "history", f), "utf8")) as { seq: number; previous?: number; jobs: Record<string, string> });
    // Seqs 1..k with no gap or duplicate, each pointing back at the one before.
    expect(history.map((h) => h.seq)).toEqual(history.map((_, i) => i + 1));
    history.forEach((h, i) => expect(h.previous).toBe(i === 0 ? undefined : i));
    const current = JSON.parse(readFileSync(path.join(ns, "current.json"), "utf8")) as { seq: number; jobs: Record<string, string> };
    expect(current).toEqual(history.at(-1));
    const verified = verifyDeployment(path.join(box.dir, ".dagship", "staging", "deployments", "objects"), current.jobs);
    expect(verified.problems).toEqual([]);
    // What is current is what a deploy now finds: nothing to change, and diff is empty.
    const again = await box.json(deploy);
    expect([again.code, again.body.noop]).toEqual([0, true]);
    Object.assign(figures, { deploys_concurrent: 10, deploy_history_length: history.length, deploy_files_verified: verified.files });
  });
});

/** Checks every file of every job bundle of a deployment against its manifest's sha256. */
function verifyDeployment(objects: string, jobs: Record<string, string>): { files: number; problems: string[] } {
  const problems: string[] = [];
  let files = 0;
  for (const [job, id] of Object.entries(jobs)) {
    const dir = path.join(objects, job, id);
    const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as { deployment_id: string; files: Record<string, string> };
    if (manifest.deployment_id !== id) problems.push(`${job}: manifest names ${manifest.deployment_id}, not ${id}`);
    for (const [file, sha] of Object.entries(manifest.files)) {
      files++;
      const actual = createHash("sha256").update(readFileSync(path.join(dir, file))).digest("hex");
      if (actual !== sha) problems.push(`${job}/${id}/${file}: sha256 differs`);
    }
  }
  return { files, problems };
}

describe("alias moves and promotions to one target", () => {
  const GATE = "promotion:\n  gate:\n    metric: accuracy\n    greater_is_better: true\n    min_delta: 0.0\n    dataset: eval/reviews\n";
  const env = { DAGSHIP_MODEL_EVALUATOR: EVALUATOR };

  it("serialise: the audit log is one chain of moves and the champion is a real version that verifies", async () => {
    const box = sandbox({ fixture: "deploy-repo" });
    boxes.push(box);
    writeFileSync(path.join(box.dir, "environments", "staging.yaml"), readFileSync(path.join(box.dir, "environments", "staging.yaml"), "utf8") + GATE);
    const ws = (e: string) => path.join(box.dir, ".dagship", e);
    writeDataset(ws("staging"), "eval/reviews", rowsCutAt(0.5));
    for (const t of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]) await registerVersion(ws("dev"), "reviews", model(t), { env: "dev" });

    // Six alias moves in dev at once, each to another version.
    const moves = await together(box, [1, 2, 3, 4, 5, 6].map((v) => ["models", "alias", "reviews", "champion", "--version", String(v), "--env", "dev"]), env);
    expect(moves.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);
    checkChain(ws("dev"), 6);

    // Six promotions from dev to staging at once: each imports a version and runs the gate.
    const promotions = await pool([1, 2, 3, 4, 5, 6], 6, (v) => box.cli(["models", "promote", "reviews", "--version", String(v), "--from", "dev", "--to", "staging", "--json"], env));
    expect(promotions.map((r) => [r.code, r.stderr.match(/DS\d{4}.*/)?.[0]])).toEqual(Array.from({ length: 6 }, () => [0, undefined]));
    const results = promotions.map((r) => JSON.parse(r.stdout) as { target_version: number; source_version: number });
    // An import of the same source version is recognised; distinct versions get distinct numbers.
    expect(new Set(results.map((r) => r.target_version)).size).toBe(6);
    const champion = checkChain(ws("staging"), 6);
    const show = await box.json(["models", "show", "reviews", "--alias", "champion", "--env", "staging"], env);
    expect(show.body).toMatchObject({ version: champion, verified: true });
    Object.assign(figures, { alias_moves_concurrent: 6, promotions_concurrent: 6, audit_chains_consistent: 2 });
  });
});

/** The champion alias entries of a registry's audit log form one chain (each from = the previous to); returns the last. */
function checkChain(workspace: string, versions: number): number {
  const audit = readFileSync(path.join(workspace, "models", "reviews", "audit.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { event: string; alias?: string; from?: number | null; to?: number | null });
  const moves = audit.filter((e) => e.event === "alias" && e.alias === "champion");
  expect(moves.length).toBeGreaterThan(0);
  moves.forEach((m, i) => expect(m.from).toBe(i === 0 ? null : moves[i - 1]!.to));
  const aliases = JSON.parse(readFileSync(path.join(workspace, "models", "reviews", "aliases.json"), "utf8")) as Record<string, number>;
  expect(aliases.champion).toBe(moves.at(-1)!.to);
  expect(aliases.champion).toBeGreaterThanOrEqual(1);
  expect(aliases.champion).toBeLessThanOrEqual(versions);
  return aliases.champion!;
}


