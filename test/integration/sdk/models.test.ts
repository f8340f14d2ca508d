/**
 * `ctx.models` as a task sees it, built in this process the way the child runtime builds it
 * (runner/sdk/context.ts with an init message), against a temp workspace: register fills the
 * lineage (tables read and declared inputs hashed), load gives a verified onnxruntime session,
 * setAlias is audited and compare-and-set.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { tableFromArrays } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { sdkFiles } from "../../../runner/executors/group.js";
import { createContext } from "../../../runner/sdk/context.js";
import type { TaskContext } from "../../../runner/sdk/index.js";
import type { InitMessage } from "../../../runner/sdk/protocol.js";
import { ModelRegistry } from "../../../runner/models/store.js";
import { featurize, featurizerConfig } from "../../../jobs/lib/ml/features.js";
import { trainLogReg } from "../../../jobs/lib/ml/logreg.js";
import { exportOnnx } from "../../../jobs/lib/ml/onnx.js";
import { scoreWithOnnx } from "../../../jobs/lib/ml/onnx-score.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const temp = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "dagship-ctx-models-"));
  dirs.push(dir);
  return dir;
};

const config = featurizerConfig({ hashBits: 8 });
const texts = ["love it great", "broken return it", "great value love", "horrible broken", "love", "return"];
const labels = Uint8Array.of(1, 0, 1, 0, 1, 0);
const onnx = exportOnnx(trainLogReg(featurize(texts, config), labels, { seed: 1 }).model, { featurizer: config });

function attempt(workspace: string | undefined, tables: InitMessage["tables"] = {}, task_key = "register"): TaskContext {
  const init: InitMessage = {
    type: "init",
    bundle: "",
    module: "tasks/t.ts",
    export: "default",
    params: {},
    job: { name: "retrain", run_id: "r-42", env: "dev", attempt: 1 },
    task_key,
    values: {},
    tables,
    attemptDir: temp(),
    arrow: "apache-arrow",
    ...(workspace ? { models: { module: pathToFileURL(sdkFiles().models).href, workspace, deployment_id: "d-7", git_sha: "ab".repeat(20), ort: "onnxruntime-node" } } : {}),
  };
  return createContext(init, new AbortController().signal, () => undefined).ctx;
}

/** An upstream task's table, written through ctx.tables; its file. */
async function upstreamTable(name: string, values: number[]): Promise<string> {
  const dir = temp();
  const up = createContext({ type: "init", bundle: "", module: "t", export: "default", params: {}, job: { name: "j", run_id: "r", env: "dev", attempt: 1 }, task_key: "up", values: {}, tables: {}, attemptDir: dir, arrow: "apache-arrow" }, new AbortController().signal, () => undefined).ctx;
  const record = await up.tables.write(name, tableFromArrays({ x: Float64Array.from(values) }));
  return path.join(dir, record.path);
}

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("ctx.models", () => {
  it("register fills the lineage: run, deployment, git sha, and the sha256 of the tables read and declared", async () => {
    const ws = temp();
    const features = await upstreamTable("features", [1, 2, 3]);
    const raw = await upstreamTable("raw", [4, 5]);
    const ctx = attempt(ws, { featurize: { features }, ingest: { raw } });
    await ctx.tables.read("featurize", "features");
    const meta = await ctx.models.register("reviews", { onnx, featurizer: { ...config }, metrics: { auc: 0.9 }, params: { seed: 1 }, inputs: [{ task_key: "ingest", name: "raw" }], files: { "notes.txt": "hi" } });
    expect(meta).toMatchObject({ name: "reviews", version: 1, metrics: { auc: 0.9 }, params: { seed: 1 }, featurizer: { hashBits: 8 } });
    expect(meta.lineage).toEqual({
      env: "dev",
      job: "retrain",
      run_id: "r-42",
      task_key: "register",
      deployment_id: "d-7",
      git_sha: "ab".repeat(20),
      input_tables: [
        { name: "featurize/features", sha256: sha(features) },
        { name: "ingest/raw", sha256: sha(raw) },
      ],
    });
    expect(new ModelRegistry(ws).audit("reviews")[0]).toMatchObject({ event: "register", version: 1, env: "dev", git_sha: "ab".repeat(20) });
    expect(await ctx.models.versions("reviews")).toEqual([meta]);
    expect(await ctx.models.versions("nothing-yet")).toEqual([]);
  });

  it("register refuses unknown fields, bad metrics and inputs that are not upstream tables", async () => {
    const ctx = attempt(temp(), { up: {} });
    await expect(ctx.models.register("m", { onnx, metrics: {}, weights: 1 } as never)).rejects.toThrow(/unknown field weights/);
    await expect(ctx.models.register("m", { onnx, metrics: { auc: Number.NaN } })).rejects.toThrow(/metric "auc" must be a finite number/);
    await expect(ctx.models.register("m", { onnx, metrics: {}, inputs: [{ task_key: "up", name: "nope" }] })).rejects.toMatchObject({ name: "TableNotFoundError" });
    await expect(ctx.models.register("../m", { onnx, metrics: {} })).rejects.toMatchObject({ code: "DS2016" });
  });

  it("load gives a verified onnxruntime session, its meta and featurizer, by version or alias", async () => {
    const ws = temp();
    const ctx = attempt(ws);
    const meta = await ctx.models.register("reviews", { onnx, featurizer: { ...config }, metrics: { auc: 1 } });
    await ctx.models.setAlias("reviews", "champion", meta.version);
    const loaded = await ctx.models.load("reviews", { alias: "champion" });
    expect(loaded.meta.version).toBe(1);
    expect(loaded.featurizer).toEqual({ ...config });
    expect(loaded.onnx).toBe(path.join(ws, "models", "reviews", "versions", "1", "model.onnx"));
    const p = await scoreWithOnnx(loaded.session, featurize(texts, config));
    expect(p[0]!).toBeGreaterThan(p[1]!);
    await loaded.session.release();
    await expect(ctx.models.load("reviews", { alias: "staging" })).rejects.toMatchObject({ code: "DS2017" });
    await expect(ctx.models.load("reviews", { version: 0 })).rejects.toThrow(/expected \{ alias: "champion" \} or \{ version: N \}/);
  });

  it("setAlias records the reason and the run in the audit log, and with expect moves only from the expected version (DS2023)", async () => {
    const ws = temp();
    const ctx = attempt(ws, {}, "promote");
    for (let i = 0; i < 3; i++) await ctx.models.register("reviews", { onnx, metrics: { auc: 0.5 + i / 10 } });
    expect(await ctx.models.setAlias("reviews", "champion", 1, { expect: null, reason: "bootstrap" })).toEqual({ alias: "champion", from: null, to: 1 });
    await expect(ctx.models.setAlias("reviews", "champion", 3, { expect: 2 })).rejects.toMatchObject({ code: "DS2023" });
    expect(await ctx.models.aliases("reviews")).toEqual({ champion: 1 });
    expect(await ctx.models.setAlias("reviews", "champion", 2, { expect: 1, reason: "auc +0.1" })).toEqual({ alias: "champion", from: 1, to: 2 });
    const moves = new ModelRegistry(ws).audit("reviews").filter((e) => e.event === "alias");
    expect(moves).toEqual([
      expect.objectContaining({ from: null, to: 1, reason: "bootstrap", run: { job: "retrain", run_id: "r-42", task_key: "promote" } }),
      expect.objectContaining({ from: 1, to: 2, reason: "auc +0.1" }),
    ]);
  });

  it("says so when the task has no registry (a context built without a workspace)", async () => {
    await expect(attempt(undefined).models.aliases("reviews")).rejects.toThrow(/no model registry/);
  });
});
