/**
 * SIGKILL at arbitrary moments of imports and promotions: afterwards every version verifies,
 * aliases.json names a verified version (the old champion or the new one), the audit log reads,
 * and the next promotion takes the dead process's locks over and works.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildBundle } from "../../../runner/models/bundle.js";
import { registerVersion } from "../../../runner/models/index.js";
import { promoteBundle } from "../../../runner/models/promote.js";
import { ModelRegistry } from "../../../runner/models/store.js";
import { actor, bundleScript, EVALUATOR, evaluate, model, remove, rowsCutAt, tempDir, workspace } from "./helpers.js";

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => remove(dir));

const gate = { metric: "accuracy", greater_is_better: true, min_delta: 0, dataset: "eval" };

describe("crash safety", () => {
  it("a SIGKILL during import or promotion leaves the registry verifying and the champion whole", async () => {
    const dev = workspace(dir, "dev");
    const prod = workspace(dir, "prod", rowsCutAt(0.5));
    const bundles: string[] = [];
    for (let i = 0; i < 8; i++) {
      // a few MB each, so the kill lands inside file writes too
      const m = model(0.3 + i * 0.03);
      await registerVersion(dev.workspace, "reviews", { ...m, files: { ...m.files, "weights.bin": Buffer.alloc(3_000_000 + i, i) } });
      const file = path.join(dir, `b${i + 1}.tar.gz`);
      writeFileSync(file, buildBundle(dev, "reviews", i + 1).bytes);
      bundles.push(file);
    }
    const script = await bundleScript(
      dir,
      "promote",
      [
        `import { readFileSync } from "node:fs";`,
        `import { promoteBundle } from ${JSON.stringify(path.resolve("runner/models/promote.ts"))};`,
        `import { ModelRegistry } from ${JSON.stringify(path.resolve("runner/models/store.ts"))};`,
        `import { evaluate } from ${JSON.stringify(EVALUATOR)};`,
        `const target = new ModelRegistry(process.argv[2], "prod");`,
        `const gate = ${JSON.stringify(gate)};`,
        `process.stdout.write("ready\\n");`,
        `for (const file of process.argv.slice(3)) await promoteBundle(readFileSync(file), { target, gate, evaluate, actor: { who: "crash", git_sha: null } });`,
      ].join("\n"),
    );
    // kill delays after the child is ready: from inside the first import to late promotions
    const killAfter = [2, 5, 10, 20, 40, 60, 90, 130, 180, 250];
    for (const ms of killAfter) {
      const child = spawn(process.execPath, [script, prod.workspace, ...bundles], { stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
      const ready = await Promise.race([new Promise<boolean>((r) => child.stdout.once("data", () => r(true))), exited.then(() => false)]);
      if (!ready) throw new Error(`the promoting process ended before it was ready:\n${stderr}`);
      await new Promise((r) => setTimeout(r, ms));
      child.kill("SIGKILL");
      const code = await exited;
      if (code !== null && code !== 0) throw new Error(`the promoting process failed (exit ${code}):\n${stderr}`);
      checkConsistent(prod);
      if (process.env.DAGSHIP_TEST_VERBOSE) console.log(ms, prod.versions("reviews"), prod.aliases("reviews"));
    }
    // the next promotion takes the dead holders' locks over and works
    const r = await promoteBundle(readFileSync(bundles[7]!), { target: prod, gate, evaluate, actor });
    expect(r.target_version).toBeGreaterThan(0);
    checkConsistent(prod);
  }, 120_000);
});

function checkConsistent(registry: ModelRegistry): void {
  for (const v of registry.versions("reviews")) registry.verify("reviews", v);
  const aliases = registry.aliases("reviews"); // parses: never a torn file
  if (aliases.champion !== undefined) registry.verify("reviews", aliases.champion);
  const gates = registry.audit("reviews").filter((e) => e.event === "gate");
  // a champion move is never missing from the log
  if (aliases.champion !== undefined) expect(gates.some((g) => g.event === "gate" && g.passed && g.version === aliases.champion)).toBe(true);
}
