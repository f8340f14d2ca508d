/**
 * Which evaluator the promotion gate uses: DAGSHIP_MODEL_EVALUATOR overrides; otherwise the
 * target's `promotion.gate.evaluator`, a TypeScript module of the repository bundled like a task
 * (cached) and imported; a module that escapes the repository, is missing, does not bundle or
 * exports no function is DS2020. And the repository's own evaluator scores a real model.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadEvaluator } from "../../../runner/models/evaluate.js";
import { ModelRegistry } from "../../../runner/models/store.js";
import { writeVersion } from "../../../runner/models/write-version.js";
import { ensureEvaluationSet } from "../../../jobs/lib/ml/datasets.js";
import { featurize, featurizerConfig } from "../../../jobs/lib/ml/features.js";
import { trainLogReg } from "../../../jobs/lib/ml/logreg.js";
import { exportOnnx } from "../../../jobs/lib/ml/onnx.js";
import { generateReviews } from "../../../jobs/lib/ml/reviews.js";
import { ROOT } from "../../e2e/cli.js";
import { actor, EVALUATOR, tempDir } from "./helpers.js";

const cleanup: string[] = [];
afterAll(async () => {
  const { rmSync } = await import("node:fs");
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const root = tempDir("dagship-evaluator-");
  cleanup.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const MODULE = `import { helper } from "./helper.js";\nexport default (model: { meta: { version: number } }) => ({ auc: helper(model.meta.version) });\n`;

describe("loadEvaluator", () => {
  it("bundles and imports promotion.gate.evaluator (a TypeScript module and what it imports), caching the bundle", async () => {
    const root = repo({ "lib/eval.ts": MODULE, "lib/helper.ts": "export const helper = (v: number): number => v / 10;\n" });
    const cacheDir = path.join(root, ".dagship", "cache", "bundles");
    const evaluate = await loadEvaluator({ cwd: root, processEnv: {}, gate: { evaluator: "lib/eval.ts" }, root, cacheDir });
    expect(await evaluate({ meta: { version: 3 } } as never, {} as never)).toEqual({ auc: 0.3 });
    expect(readdirSync(path.join(cacheDir, "bundles")).filter((f) => f.endsWith(".mjs"))).toHaveLength(1);
    await loadEvaluator({ cwd: root, processEnv: {}, gate: { evaluator: "lib/eval.ts" }, root, cacheDir });
    expect(readdirSync(path.join(cacheDir, "bundles")).filter((f) => f.endsWith(".mjs"))).toHaveLength(1);
  });

  it("DAGSHIP_MODEL_EVALUATOR overrides the gate's module", async () => {
    const root = repo({ "lib/eval.ts": MODULE, "lib/helper.ts": "export const helper = () => 0;\n" });
    const evaluate = await loadEvaluator({ cwd: root, processEnv: { DAGSHIP_MODEL_EVALUATOR: EVALUATOR }, gate: { evaluator: "lib/eval.ts" }, root });
    const { evaluate: fixture } = await import(EVALUATOR);
    expect(evaluate).toBe(fixture);
  });

  it("refuses, with DS2020, a module outside the repository, a missing one, one that does not bundle, one without a function, and no evaluator at all", async () => {
    const root = repo({ "bad.ts": "export default = ;\n", "value.ts": "export default 42;\n" });
    const load = (evaluator?: string) => loadEvaluator({ cwd: root, processEnv: {}, gate: evaluator === undefined ? {} : { evaluator }, root });
    await expect(load("../outside.ts")).rejects.toMatchObject({ code: "DS2020", message: expect.stringMatching(/inside the repository/) });
    await expect(load("nope.ts")).rejects.toMatchObject({ code: "DS2020", message: expect.stringMatching(/does not exist/) });
    await expect(load("bad.ts")).rejects.toMatchObject({ code: "DS2020", message: expect.stringMatching(/could not bundle bad\.ts/) });
    await expect(load("value.ts")).rejects.toMatchObject({ code: "DS2020", message: expect.stringMatching(/exports no function/) });
    await expect(load(undefined)).rejects.toMatchObject({ code: "DS2020", message: expect.stringMatching(/names no evaluator module/) });
  });

  it("this repository's evaluator (jobs/lib/ml/evaluate-model.ts) scores a registered version on an evaluation set", async () => {
    const ws = tempDir("dagship-evaluator-ws-");
    cleanup.push(ws);
    const config = featurizerConfig({ hashBits: 12 });
    const train = generateReviews({ count: 3000, seed: 11 });
    const onnx = exportOnnx(trainLogReg(featurize(train.text, config), train.label, { seed: 1 }).model, { featurizer: config });
    const registry = new ModelRegistry(ws, "staging");
    await writeVersion(registry, "reviews", { onnx, featurizer: { ...config }, metrics: {} }, { actor });
    await ensureEvaluationSet(path.join(ws, "data"), "staging", { count: 1000 });
    const evaluate = await loadEvaluator({ cwd: ROOT, processEnv: {}, gate: { evaluator: "jobs/lib/ml/evaluate-model.ts" }, root: ROOT, cacheDir: path.join(ws, "cache", "bundles") });
    const metrics = await evaluate({ ...registry.resolve("reviews", { version: 1 }), env: "staging" }, { name: "eval", path: path.join(ws, "data", "eval"), env: "staging", workspace: ws });
    expect(Object.keys(metrics).sort()).toEqual(["accuracy", "auc", "log_loss"]);
    expect(metrics.auc).toBeGreaterThan(0.75);
    expect(metrics.log_loss).toBeGreaterThan(0);
  });
});
