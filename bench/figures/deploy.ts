import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CLI, describeSample, FigureError, PACKAGE_ROOT, sample, timeSpawn, type Benchmark } from "../harness.js";

const JOBS = 50;
const TASKS = 4;

/**
 * deploy_noop_50 and deploy_one_change_50, on a git repository of 50 jobs × 4 tasks, each task
 * its own TypeScript module importing a shared `jobs/lib/` module, deployed to a staging-like
 * environment (one namespace, no policy):
 * - deploy_noop_50: `dagship deploy --env staging --json` when nothing changed since the last
 *   deploy (the output must say `noop`), against a bare `node -e 0` spawn. Goal ≤ 5.
 * - deploy_one_change_50: the same deploy after one task module of one job changed (exactly one
 *   job must come out changed), against a full first deploy into an empty workspace (bundle
 *   cache included) measured in the same run. Goal ≤ 0.2.
 */
export const deployFigures: Benchmark = {
  figures: ["deploy_noop_50", "deploy_one_change_50"],
  async run(ctx) {
    const root = deployRepository(ctx.tempDir());
    const workspace = path.join(root, ".dagship", "staging");
    const deploy = (expect: (out: DeployJson) => string | undefined) => {
      const r = timeSpawn([CLI, "deploy", "--env", "staging", "--json"], root);
      if (r.status !== 0) throw new FigureError(`dagship deploy exited ${r.status ?? r.signal}:\n${r.stderr.slice(0, 2000)}`);
      const problem = expect(JSON.parse(r.stdout) as DeployJson);
      if (problem) throw new FigureError(`dagship deploy: ${problem}`);
      return r.seconds;
    };
    const jobsAre = (out: DeployJson, status: string, n: number) => {
      const count = Object.values(out.jobs).filter((j) => j.status === status).length;
      return count === n ? undefined : `expected ${n} job(s) ${status}, got ${count}: ${JSON.stringify(out).slice(0, 300)}`;
    };

    const floor = await ctx.nodeSpawn();
    const full = await sample("deploy: full first deploy of 50 jobs into an empty workspace", ctx.sampling("slow"), () => {
      rmSync(workspace, { recursive: true, force: true });
      return deploy((out) => jobsAre(out, "added", JOBS));
    });
    const noop = await sample("deploy_noop_50: deploy with nothing changed", ctx.sampling("fast"), () => deploy((out) => (out.noop ? jobsAre(out, "unchanged", JOBS) : "not a no-op")));
    let stamp = 0;
    const one = await sample("deploy_one_change_50: deploy after one task module changed", ctx.sampling("slow"), () => {
      writeFileSync(path.join(root, "jobs", "job_07", "tasks", "t2.ts"), taskModule(7, 2, ++stamp));
      return deploy((out) => jobsAre(out, "changed", 1) ?? jobsAre(out, "unchanged", JOBS - 1));
    });
    return {
      deploy_noop_50: {
        value: noop.median,
        unit: "s",
        floor: floor.median,
        ratio: noop.median / floor.median,
        goal: { of: "ratio", op: "≤", limit: 5, text: "ratio ≤ 5" },
        notes: [`no-op deploy of ${JOBS} jobs × ${TASKS} tasks: ${describeSample(noop)}`, `floor node -e 0: ${describeSample(floor)}`],
      },
      deploy_one_change_50: {
        value: one.median,
        unit: "s",
        floor: full.median,
        ratio: one.median / full.median,
        goal: { of: "ratio", op: "≤", limit: 0.2, text: "ratio ≤ 0.2" },
        notes: [`deploy after one task module of one job changed: ${describeSample(one)}`, `floor = full first deploy into an empty workspace: ${describeSample(full)}`],
      },
    };
  },
};

interface DeployJson {
  noop: boolean;
  jobs: Record<string, { status: string }>;
}

/** A git repository of JOBS jobs × TASKS tasks (a chain), committed on main. */
function deployRepository(dir: string): string {
  mkdirSync(path.join(dir, "environments"), { recursive: true });
  writeFileSync(path.join(dir, "environments", "staging.yaml"), "name: staging\nworkspace:\n  path: .dagship/staging\nvars:\n  label: bench\n");
  writeFileSync(path.join(dir, ".gitignore"), ".dagship/\nnode_modules\n");
  symlinkSync(path.join(PACKAGE_ROOT, "node_modules"), path.join(dir, "node_modules"));
  mkdirSync(path.join(dir, "jobs", "lib"), { recursive: true });
  writeFileSync(path.join(dir, "jobs", "lib", "util.ts"), "export function scale(x: number, by: number): number {\n  return x * by;\n}\n");
  for (let j = 0; j < JOBS; j++) {
    const name = `job_${String(j).padStart(2, "0")}`;
    mkdirSync(path.join(dir, "jobs", name, "tasks"), { recursive: true });
    const tasks = Array.from({ length: TASKS }, (_, t) => ({
      task_key: `t${t}`,
      ...(t > 0 ? { depends_on: [{ task_key: `t${t - 1}` }] } : {}),
      ts_task: { module: `tasks/t${t}.ts`, parameters: { label: "{{vars.label}}", rows: "{{job.parameters.rows}}" } },
    }));
    writeFileSync(path.join(dir, "jobs", name, "job.json"), JSON.stringify({ name, parameters: [{ name: "rows", default: "100" }], tasks }, null, 2) + "\n");
    for (let t = 0; t < TASKS; t++) writeFileSync(path.join(dir, "jobs", name, "tasks", `t${t}.ts`), taskModule(j, t, 0));
  }
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.com", ...args], { cwd: dir, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "bench");
  return dir;
}

function taskModule(job: number, task: number, stamp: number): string {
  return `import { defineTask } from "dagship";
import { scale } from "../../lib/util.js";

export default defineTask<{ label: string; rows: string }>({
  run(ctx) {
    ctx.values.set("out", scale(Number(ctx.params.rows), ${job * 10 + task + 1}) + ${stamp});
  },
});
`;
}
