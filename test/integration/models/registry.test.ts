import { execFile } from "node:child_process";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DagshipError } from "../../../runner/errors.js";
import { moveAlias } from "../../../runner/models/aliases.js";
import { recordGateDecision, registerVersion, resolveVersion } from "../../../runner/models/index.js";
import { ModelRegistry } from "../../../runner/models/store.js";
import { writeVersion } from "../../../runner/models/write-version.js";
import { actor, bundleScript, model, remove, tempDir, workspace } from "./helpers.js";

const run = promisify(execFile);
let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => remove(dir));

async function rejection(p: Promise<unknown>): Promise<DagshipError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof DagshipError) return error;
    throw error;
  }
  throw new Error("did not reject");
}

describe("model registry store", () => {
  it("registers versions 1, 2, 3 with their metadata, lineage and files", async () => {
    const reg = workspace(dir, "dev");
    const m1 = await registerVersion(reg.workspace, "reviews", model(0.5), { env: "dev" });
    const m2 = await registerVersion(reg.workspace, "reviews", model(0.6), { env: "dev" });
    expect([m1.version, m2.version]).toEqual([1, 2]);
    expect(m2).toMatchObject({ name: "reviews", metrics: { accuracy: 0.5 }, params: { threshold: 0.6 }, featurizer: { kind: "identity", columns: ["x"] } });
    expect(m2.lineage).toMatchObject({ env: "dev", job: "retrain", run_id: "r-1", task_key: "train", deployment_id: null, input_tables: [{ name: "rows", sha256: "ab".repeat(32) }] });
    expect(Object.keys(m2.files)).toEqual(["featurizer/config.json"]);
    const r = resolveVersion(reg.workspace, "reviews", { version: 2 });
    expect(readFileSync(r.onnx, "utf8")).toContain("threshold=0.6");
    expect(JSON.parse(readFileSync(r.files["featurizer/config.json"]!, "utf8"))).toEqual({ columns: ["x"] });
    expect(reg.versions("reviews")).toEqual([1, 2]);
    expect(reg.models()).toEqual(["reviews"]);
    const audit = reg.audit("reviews");
    expect(audit.map((e) => [e.event, "version" in e ? e.version : null])).toEqual([
      ["register", 1],
      ["register", 2],
    ]);
  });

  it("allocates distinct, sequential versions under concurrency, in one process and across processes", async () => {
    const reg = workspace(dir, "dev");
    const inProcess = await Promise.all(Array.from({ length: 12 }, (_, i) => registerVersion(reg.workspace, "reviews", model(i / 12))));
    expect(inProcess.map((m) => m.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const script = await bundleScript(
      dir,
      "register",
      `import { registerVersion } from ${JSON.stringify(path.resolve("runner/models/index.ts"))};\n` +
        `for (let i = 0; i < 3; i++) await registerVersion(process.argv[2], "reviews", { onnx: Buffer.from("threshold=" + process.pid + i), metrics: { accuracy: 1 } });\n`,
    );
    await Promise.all(Array.from({ length: 4 }, () => run(process.execPath, [script, reg.workspace])));
    const versions = reg.versions("reviews");
    expect(versions).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const onnx = new Set(versions.map((v) => reg.verify("reviews", v).onnx_sha256));
    expect(onnx.size).toBe(24); // every registration got its own version
    expect(reg.audit("reviews").filter((e) => e.event === "register")).toHaveLength(24);
    expect(existsSync(path.join(reg.paths("reviews").staging))).toBe(false);
  }, 60_000);

  it("keeps versions immutable: files are read-only, and a changed file fails verification (DS2018)", async () => {
    const reg = workspace(dir, "dev");
    await registerVersion(reg.workspace, "reviews", model(0.5));
    const onnx = reg.paths("reviews").onnx(1);
    expect((await import("node:fs")).statSync(onnx).mode & 0o222).toBe(0);
    chmodSync(onnx, 0o644);
    writeFileSync(onnx, "threshold=0.9\n");
    const e = await rejection(Promise.resolve().then(() => reg.resolve("reviews", { version: 1 })));
    expect(e).toMatchObject({ code: "DS2018", exitCode: 1 });
    expect(e.message).toContain("model.onnx has sha256");
    // a further file too
    await registerVersion(reg.workspace, "reviews", model(0.5));
    const extra = reg.paths("reviews").file(2, "featurizer/config.json");
    chmodSync(extra, 0o644);
    writeFileSync(extra, "{}");
    expect((await rejection(Promise.resolve().then(() => reg.verify("reviews", 2)))).message).toContain("featurizer/config.json");
  });

  it("names unknown models, versions and aliases with what exists (DS2017, exit 2)", async () => {
    const reg = workspace(dir, "dev");
    expect(await rejection(Promise.resolve().then(() => reg.resolve("nope", { version: 1 })))).toMatchObject({ code: "DS2017", exitCode: 2 });
    await registerVersion(reg.workspace, "reviews", model(0.5));
    const v = await rejection(Promise.resolve().then(() => reg.resolve("reviews", { version: 7 })));
    expect(v.hint).toBe("versions: 1");
    const a = await rejection(Promise.resolve().then(() => reg.resolve("reviews", { alias: "champion" })));
    expect(a.code).toBe("DS2017");
  });

  it("refuses bad names before touching the disk (DS2016)", async () => {
    const reg = workspace(dir, "dev");
    for (const name of ["../escape", "/abs", "a\0b", "x".repeat(200)]) {
      expect((await rejection(registerVersion(reg.workspace, name, model(0.5)))).code).toBe("DS2016");
    }
    expect((await rejection(registerVersion(reg.workspace, "ok", { ...model(0.5), files: { "../../x": "y" } }))).code).toBe("DS2016");
    expect(existsSync(path.join(dir, "escape"))).toBe(false);
    expect(existsSync(path.join(reg.workspace, "models", "ok"))).toBe(false);
  });

  it("moves aliases atomically and audits every move with who, when, from, to and the git sha", async () => {
    const reg = workspace(dir, "prod");
    await registerVersion(reg.workspace, "reviews", model(0.5));
    await registerVersion(reg.workspace, "reviews", model(0.6));
    expect(await moveAlias(reg, "reviews", "champion", 1, actor)).toEqual({ alias: "champion", from: null, to: 1 });
    expect(await moveAlias(reg, "reviews", "champion", 2, actor)).toEqual({ alias: "champion", from: 1, to: 2 });
    expect(await moveAlias(reg, "reviews", "champion", 2, actor)).toEqual({ alias: "champion", from: 2, to: 2 }); // no-op, not audited
    await moveAlias(reg, "reviews", "challenger", 1, actor);
    await moveAlias(reg, "reviews", "challenger", null, actor);
    expect(reg.aliases("reviews")).toEqual({ champion: 2 });
    expect(JSON.parse(readFileSync(reg.paths("reviews").aliases, "utf8"))).toEqual({ champion: 2 });
    const moves = reg.audit("reviews").filter((e) => e.event === "alias");
    expect(moves.map((e) => (e.event === "alias" ? [e.alias, e.from, e.to] : null))).toEqual([
      ["champion", null, 1],
      ["champion", 1, 2],
      ["challenger", null, 1],
      ["challenger", 1, null],
    ]);
    expect(moves[0]).toMatchObject({ env: "prod", model: "reviews", who: actor.who, git_sha: actor.git_sha });
    expect(Date.parse(moves[0]!.at)).toBeGreaterThan(0);
    expect((await rejection(moveAlias(reg, "reviews", "champion", 9, actor))).code).toBe("DS2017");
    expect((await rejection(moveAlias(reg, "reviews", "../x", 1, actor))).code).toBe("DS2016");
  });

  it("skips a torn last audit line and cleans a crashed registration's staging folder", async () => {
    const reg = workspace(dir, "dev");
    await registerVersion(reg.workspace, "reviews", model(0.5));
    const paths = reg.paths("reviews");
    writeFileSync(paths.audit, readFileSync(paths.audit, "utf8") + '{"event":"alias","al');
    expect(reg.audit("reviews")).toHaveLength(1);
    const { mkdirSync } = await import("node:fs");
    mkdirSync(path.join(paths.staging, "99999-dead"), { recursive: true });
    writeFileSync(path.join(paths.staging, "99999-dead", "model.onnx"), "half");
    const { meta } = await writeVersion(new ModelRegistry(reg.workspace, "dev"), "reviews", model(0.7), { actor });
    expect(meta.version).toBe(2);
    expect(existsSync(paths.staging)).toBe(false);
  });
});

describe("recordGateDecision", () => {
  const decision = { version: 1, metric: "auc", greater_is_better: true, min_delta: 0.001, dataset: "eval", challenger: 0.8, champion: null, champion_version: null, threshold: null, bootstrap: true, passed: true, reason: "no champion yet: bootstrap", challenger_metrics: { auc: 0.8 }, champion_metrics: null };
  const run = { job: "retrain", run_id: "r1", task_key: "register" };

  it("appends a gate entry with the run, from/to following the decision, and moves nothing", async () => {
    const reg = workspace(dir, "prod");
    await writeVersion(reg, "reviews", model(0.5), { actor });
    await writeVersion(reg, "reviews", model(0.4), { actor });
    await recordGateDecision(reg, "reviews", decision, actor, { run });
    await recordGateDecision(reg, "reviews", { ...decision, version: 2, champion: 0.8, champion_version: 1, threshold: 0.801, bootstrap: false, passed: false, challenger: 0.7, reason: "worse", champion_metrics: { auc: 0.8 } }, actor, { run: { ...run, run_id: "r2" } });
    const gates = reg.audit("reviews").filter((e) => e.event === "gate");
    expect(gates).toEqual([
      expect.objectContaining({ event: "gate", env: "prod", version: 1, passed: true, from: null, to: 1, alias: "champion", run, who: actor.who, git_sha: actor.git_sha }),
      expect.objectContaining({ version: 2, passed: false, from: 1, to: 1, reason: "worse", run: { ...run, run_id: "r2" } }),
    ]);
    expect(reg.aliases("reviews")).toEqual({});
  });

  it("refuses a malformed decision (DS2030) or an unknown version (DS2017), writing nothing", async () => {
    const reg = workspace(dir, "prod");
    await writeVersion(reg, "reviews", model(0.5), { actor });
    const before = reg.audit("reviews").length;
    const bad = await rejection(recordGateDecision(reg, "reviews", { ...decision, passed: "yes" as unknown as boolean }, actor));
    expect(bad.code).toBe("DS2030");
    expect(bad.message).toContain('"passed" must be true or false');
    expect((await rejection(recordGateDecision(reg, "reviews", { ...decision, challenger_metrics: { auc: Number.NaN } }, actor))).code).toBe("DS2030");
    expect((await rejection(recordGateDecision(reg, "reviews", { ...decision, version: 9 }, actor))).code).toBe("DS2017");
    expect(reg.audit("reviews")).toHaveLength(before);
  });
});
