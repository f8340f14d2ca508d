import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DagshipError } from "../../../runner/errors.js";
import { moveAlias } from "../../../runner/models/aliases.js";
import { buildBundle } from "../../../runner/models/bundle.js";
import { registerVersion } from "../../../runner/models/index.js";
import { promote, promoteBundle, promoteInPlace, type GateContext } from "../../../runner/models/promote.js";
import type { ModelRegistry } from "../../../runner/models/store.js";
import { actor, evaluate, model, remove, rowsCutAt, snapshot, tempDir, workspace } from "./helpers.js";

let dir: string;
let dev: ModelRegistry;
let prod: ModelRegistry;
const gate = { metric: "accuracy", greater_is_better: true, min_delta: 0.05, dataset: "eval" };
const ctx = (over: Partial<GateContext> = {}): GateContext => ({ target: prod, gate, evaluate, actor, ...over });

beforeEach(() => {
  dir = tempDir();
  // dev's dataset would favour threshold 0.2; prod's own dataset favours 0.6
  dev = workspace(dir, "dev", rowsCutAt(0.2));
  prod = workspace(dir, "prod", rowsCutAt(0.6));
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

describe("promotion between workspaces", () => {
  it("bootstraps the first champion explicitly, then promotes only a better model, on the target's own dataset", async () => {
    await registerVersion(dev.workspace, "reviews", model(0.3)); // v1
    await registerVersion(dev.workspace, "reviews", model(0.6)); // v2: best on prod's data
    await registerVersion(dev.workspace, "reviews", model(0.2)); // v3: best on dev's data, worse on prod's

    const first = await promote({ source: dev, name: "reviews", version: 1 }, ctx());
    expect(first).toMatchObject({ name: "reviews", from: "dev", to: "prod", source_version: 1, target_version: 1, imported: true, promoted: true, champion: 1 });
    expect(first.gate).toMatchObject({ metric: "accuracy", bootstrap: true, passed: true, champion: null, champion_version: null });
    expect(first.gate.challenger).toBeCloseTo(0.7, 10);

    const better = await promote({ source: dev, name: "reviews", version: 2 }, ctx());
    expect(better).toMatchObject({ target_version: 2, promoted: true, champion: 2, gate: { passed: true, bootstrap: false, champion_version: 1, challenger: 1 } });
    expect(better.gate.champion).toBeCloseTo(0.7, 10);

    const worse = await promote({ source: dev, name: "reviews", version: 3 }, ctx());
    expect(worse).toMatchObject({ target_version: 3, promoted: false, champion: 2, gate: { passed: false, challenger: 0.6, champion: 1, champion_version: 2 } });
    expect(worse.gate.reason).toContain("<");
    expect(prod.aliases("reviews")).toEqual({ champion: 2 });

    const gates = prod.audit("reviews").filter((e) => e.event === "gate");
    expect(gates.map((g) => (g.event === "gate" ? [g.version, g.passed, g.bootstrap, g.from, g.to] : null))).toEqual([
      [1, true, true, null, 1],
      [2, true, false, 1, 2],
      [3, false, false, 2, 2],
    ]);
    expect(gates[2]).toMatchObject({ env: "prod", who: actor.who, git_sha: actor.git_sha, metric: "accuracy", min_delta: 0.05, dataset: "eval", threshold: 1.05, champion_metrics: { accuracy: 1 } });
    const moves = prod.audit("reviews").filter((e) => e.event === "alias");
    expect(moves.map((m) => (m.event === "alias" ? [m.from, m.to] : null))).toEqual([
      [null, 1],
      [1, 2],
    ]);
    // the champion in dev never moved: promotion changes only the target
    expect(dev.aliases("reviews")).toEqual({});
  });

  it("fails the gate on a missing metric and leaves the champion where it was", async () => {
    await registerVersion(dev.workspace, "reviews", model(0.5));
    await registerVersion(dev.workspace, "reviews", model(0.6, { metrics: ["error_rate"] }));
    await promote({ source: dev, name: "reviews", version: 1 }, ctx());
    const r = await promote({ source: dev, name: "reviews", version: 2 }, ctx());
    expect(r).toMatchObject({ promoted: false, champion: 1, gate: { passed: false, challenger: null } });
    expect(r.gate.reason).toContain('no "accuracy"');
    // a lower-is-better gate on the metric it does have passes it
    const onError = await promoteInPlace("reviews", 2, ctx({ gate: { metric: "error_rate", greater_is_better: false, min_delta: 0, dataset: "eval" } }));
    expect(onError).toMatchObject({ promoted: true, champion: 2, gate: { passed: true, challenger: 0, champion_version: 1 } });
    // now the champion lacks "accuracy": nothing can be compared, so the next challenger fails
    await registerVersion(dev.workspace, "reviews", model(0.6));
    const r3 = await promote({ source: dev, name: "reviews", version: 3 }, ctx());
    expect(r3).toMatchObject({ promoted: false, champion: 2, gate: { passed: false, challenger: 1, champion: null, reason: expect.stringContaining("champion v2 has no") } });
  });

  it("refuses bootstrap when the challenger lacks the metric", async () => {
    await registerVersion(dev.workspace, "reviews", model(0.5, { metrics: ["error_rate"] }));
    const r = await promote({ source: dev, name: "reviews", version: 1 }, ctx());
    expect(r).toMatchObject({ promoted: false, champion: null, gate: { bootstrap: true, passed: false } });
    expect(prod.aliases("reviews")).toEqual({});
  });

  it("records an evaluation that throws as a failed gate (DS2021) and moves nothing", async () => {
    await registerVersion(dev.workspace, "reviews", model(0.6));
    await registerVersion(dev.workspace, "reviews", model(0.6, { fail: "onnxruntime could not load the model" }));
    await promote({ source: dev, name: "reviews", version: 1 }, ctx());
    const e = await rejection(promote({ source: dev, name: "reviews", version: 2 }, ctx()));
    expect(e).toMatchObject({ code: "DS2021", exitCode: 1 });
    expect(e.message).toContain("onnxruntime could not load the model");
    expect(prod.aliases("reviews")).toEqual({ champion: 1 });
    expect(prod.audit("reviews").at(-1)).toMatchObject({ event: "gate", version: 2, passed: false, error: expect.stringContaining("could not load") });
    const bad = await rejection(promoteInPlace("reviews", 2, ctx({ evaluate: () => ({ accuracy: "high" }) as never })));
    expect(bad.code).toBe("DS2021");
  });

  it("refuses before importing anything when the target has no gate or no dataset (DS2020)", async () => {
    await registerVersion(dev.workspace, "reviews", model(0.6));
    const before = snapshot(prod.workspace);
    expect(await rejection(promote({ source: dev, name: "reviews", version: 1 }, ctx({ gate: undefined })))).toMatchObject({ code: "DS2020", exitCode: 2 });
    expect(await rejection(promote({ source: dev, name: "reviews", version: 1 }, ctx({ gate: { ...gate, dataset: "nope" } })))).toMatchObject({ code: "DS2020" });
    expect((await rejection(promote({ source: dev, name: "reviews", version: 1 }, ctx({ gate: { ...gate, dataset: "../../dev/data/eval" } })))).message).toContain("relative path inside");
    expect(snapshot(prod.workspace)).toEqual(before);
  });

  it("gates a version the target already holds (deploy-code mode), and knows a champion when it sees one", async () => {
    await registerVersion(prod.workspace, "reviews", model(0.6)); // trained in prod
    const r = await promoteInPlace("reviews", 1, ctx());
    expect(r).toMatchObject({ from: "prod", to: "prod", source_version: 1, target_version: 1, imported: false, promoted: true, gate: { bootstrap: true } });
    const again = await promoteInPlace("reviews", 1, ctx());
    expect(again).toMatchObject({ promoted: false, champion: 1, gate: { passed: true, reason: "v1 is already the champion" } });
  });

  it("imports a bundle made elsewhere and gates it (promote --bundle)", async () => {
    await registerVersion(dev.workspace, "reviews", model(0.6));
    const { bytes, sha256 } = buildBundle(dev, "reviews", 1);
    const r = await promoteBundle(bytes, ctx(), { expectedSha256: sha256 });
    expect(r).toMatchObject({ from: "dev", source_version: 1, target_version: 1, bundle_sha256: sha256, promoted: true });
  });

  it("serialises concurrent promotions to one target: each gate sees the champion the previous one left", async () => {
    for (const t of [0.3, 0.4, 0.5, 0.6, 0.55, 0.45]) await registerVersion(dev.workspace, "reviews", model(t));
    const slow: GateContext["evaluate"] = async (m, d) => {
      await new Promise((r) => setTimeout(r, 20));
      return evaluate(m, d);
    };
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((v) => promote({ source: dev, name: "reviews", version: v }, ctx({ evaluate: slow }))));
    const gates = prod.audit("reviews").filter((e) => e.event === "gate");
    expect(gates).toHaveLength(6);
    // replaying the decisions in log order reproduces the final champion, and every gate compared with the champion of its moment
    let champion: number | null = null;
    for (const g of gates) {
      if (g.event !== "gate") continue;
      expect(g.champion_version).toBe(champion);
      if (g.passed) champion = g.version;
    }
    expect(prod.aliases("reviews").champion).toBe(champion);
    expect(results.filter((r) => r.promoted).length).toBe(gates.filter((g) => g.event === "gate" && g.passed).length);
    // the best model on prod's data (threshold 0.6) is champion whatever the order
    expect(prod.verify("reviews", champion!).params).toEqual({ threshold: 0.6 });
  });

  it("keeps a hand-moved champion as the baseline of the next gate", async () => {
    await registerVersion(prod.workspace, "reviews", model(0.6));
    await registerVersion(prod.workspace, "reviews", model(0.2));
    await moveAlias(prod, "reviews", "champion", 2, actor);
    const r = await promoteInPlace("reviews", 1, ctx());
    expect(r).toMatchObject({ promoted: true, gate: { champion_version: 2 } });
  });
});
