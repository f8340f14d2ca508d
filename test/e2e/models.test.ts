/**
 * `dagship models` through the built CLI, in a throw-away repository with dev, staging and prod
 * workspaces. Versions are registered in dev through the library (as a retrain task would); the
 * gate's evaluator is the fixture evaluator (DAGSHIP_MODEL_EVALUATOR), which computes accuracy from
 * the model file and each environment's own dataset.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { registerVersion } from "../../runner/models/index.js";
import { readTar, writeTar } from "../../runner/models/tar.js";
import { EVALUATOR, model, rowsCutAt, snapshot, writeDataset } from "../integration/models/helpers.js";
import { assertBuilt } from "./cli.js";
import { deployRepo, type DeployRepo } from "./deploy-repo.js";

beforeAll(assertBuilt);

let repo: DeployRepo;
afterEach(() => repo?.remove());

const ENV = { DAGSHIP_MODEL_EVALUATOR: EVALUATOR };
const GATE = "promotion:\n  gate:\n    metric: accuracy\n    greater_is_better: true\n    min_delta: 0.05\n    dataset: eval/reviews\n";

/** A repository whose staging and prod have a gate and their own datasets, and dev three versions. */
async function modelsRepo(): Promise<DeployRepo> {
  const r = deployRepo();
  r.write("environments/staging.yaml", r.read("environments/staging.yaml") + GATE);
  r.write("environments/prod.yaml", r.read("environments/prod.yaml") + GATE);
  r.commit("gates");
  writeDataset(ws(r, "staging"), "eval/reviews", rowsCutAt(0.6));
  writeDataset(ws(r, "prod"), "eval/reviews", rowsCutAt(0.6));
  for (const t of [0.3, 0.6, 0.2]) await registerVersion(ws(r, "dev"), "reviews", model(t), { env: "dev" });
  return r;
}

const ws = (r: DeployRepo, env: string) => path.join(r.dir, ".dagship", env);

describe("dagship models", () => {
  test("list, show, alias and audit", async () => {
    repo = await modelsRepo();
    expect((await repo.json(["models", "list", "--env", "staging"])).body).toEqual({ env: "staging", models: [] });
    const list = await repo.json(["models", "list", "--env", "dev"]);
    expect(list.code).toBe(0);
    expect(list.body.models).toHaveLength(1);
    expect(list.body.models[0]).toMatchObject({ name: "reviews", aliases: {} });
    expect(list.body.models[0].versions.map((v: any) => v.version)).toEqual([1, 2, 3]);
    expect(Object.keys(list.body.models[0].versions[0]).sort()).toEqual(["created_at", "featurizer", "files", "lineage", "metrics", "name", "onnx_bytes", "onnx_sha256", "params", "version"]);
    expect((await repo.cli(["models", "list", "--env", "dev"])).stdout).toMatch(/reviews\s+v2/);

    const alias = await repo.json(["models", "alias", "reviews", "champion", "--version", "2", "--env", "dev"]);
    expect(alias).toMatchObject({ code: 0, body: { alias: "champion", from: null, to: 2, changed: true } });
    const show = await repo.json(["models", "show", "reviews", "--alias", "champion", "--env", "dev"]);
    expect(show.body).toMatchObject({ name: "reviews", version: 2, aliases: ["champion"], verified: true, params: { threshold: 0.6 } });
    expect((await repo.cli(["models", "show", "reviews", "--version", "2", "--env", "dev"])).stdout).toContain("reviews v2 in dev (champion) — verified");
    const audit = await repo.json(["models", "audit", "reviews", "--env", "dev"]);
    expect(audit.body.entries[0]).toMatchObject({ event: "alias", alias: "champion", from: null, to: 2, env: "dev" });
    expect(audit.body.entries[0].who).toBeTruthy();
    expect(audit.body.entries[0].git_sha).toMatch(/^[0-9a-f]{40}$/);

    const missing = await repo.json(["models", "show", "reviews", "--version", "9", "--env", "dev"]);
    expect(missing.code).toBe(2);
    expect(missing.body.error).toMatchObject({ code: "DS2017", hint: "versions: 1, 2, 3" });
  });

  test("promote --from --to: bootstrap, a better model moves champion, a worse one does not (exit 0, or 1 with --require-promotion)", async () => {
    repo = await modelsRepo();
    const boot = await repo.json(["models", "promote", "reviews", "--version", "1", "--from", "dev", "--to", "staging"], ENV);
    expect(boot.code).toBe(0);
    expect(boot.body).toMatchObject({ name: "reviews", from: "dev", to: "staging", source_version: 1, target_version: 1, promoted: true, gate: { metric: "accuracy", champion: null, passed: true, bootstrap: true } });
    expect(boot.body.gate.challenger).toBeCloseTo(0.7, 10);

    const better = await repo.json(["models", "promote", "reviews", "--version", "2", "--from", "dev", "--to", "staging"], ENV);
    expect(better.body).toMatchObject({ source_version: 2, target_version: 2, promoted: true, gate: { challenger: 1, passed: true, champion_version: 1 } });

    const worse = await repo.cli(["models", "promote", "reviews", "--version", "3", "--from", "dev", "--to", "staging"], ENV);
    expect(worse.code).toBe(0);
    expect(worse.stdout).toMatch(/✗ reviews v3 of dev → staging v3: gate failed .*champion stays v2/);
    const strict = await repo.cli(["models", "promote", "reviews", "--version", "3", "--from", "dev", "--to", "staging", "--require-promotion", "--json"], ENV);
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout)).toMatchObject({ target_version: 3, promoted: false, champion: 2 });

    const staging = await repo.json(["models", "list", "--env", "staging"]);
    expect(staging.body.models[0].aliases).toEqual({ champion: 2 });
    expect(staging.body.models[0].versions[2].lineage.source).toMatchObject({ env: "dev", name: "reviews", version: 3 });
    const gates = (await repo.json(["models", "audit", "reviews", "--env", "staging"])).body.entries.filter((e: any) => e.event === "gate");
    expect(gates.map((g: any) => [g.version, g.passed])).toEqual([
      [3, false],
      [3, false],
      [2, true],
      [1, true],
    ]);
    // staging → prod goes the same way, and prod's lineage keeps the dev hop
    const prod = await repo.json(["models", "promote", "reviews", "--version", "2", "--from", "staging", "--to", "prod"], ENV);
    expect(prod.body).toMatchObject({ from: "staging", to: "prod", promoted: true });
    const prodMeta = await repo.json(["models", "show", "reviews", "--alias", "champion", "--env", "prod"]);
    expect(prodMeta.body.lineage.source).toMatchObject({ env: "staging", version: 2, previous: { env: "dev", version: 2 } });
  });

  test("export and import apart: the import works with the source workspace unreachable; a tampered bundle is refused and nothing changes", async () => {
    repo = await modelsRepo();
    const exported = await repo.json(["models", "export", "reviews", "--version", "2", "--env", "dev", "--out", "out/reviews.tar.gz"]);
    expect(exported.code).toBe(0);
    expect(exported.body).toMatchObject({ env: "dev", name: "reviews", version: 2 });
    const bundle = path.join(repo.dir, "out", "reviews.tar.gz");
    expect(readFileSync(`${bundle}.sha256`, "utf8")).toBe(`${exported.body.sha256}  reviews.tar.gz\n`);

    // tampering first: one byte of model.onnx, then an edited manifest; the prod registry stays as it is
    const before = snapshot(ws(repo, "prod"));
    const entries = readTar(gunzipSync(readFileSync(bundle)));
    const flip = entries.map((e) => (e.path === "model.onnx" ? { path: e.path, data: Buffer.from(Buffer.from(e.data).toString().replace("0.6", "0.7")) } : e));
    writeFileSync(path.join(repo.dir, "out", "flipped.tar.gz"), gzipSync(writeTar(flip, 0)));
    const refused = await repo.json(["models", "import", "out/flipped.tar.gz", "--env", "prod"]);
    expect(refused.code).toBe(1);
    expect(refused.body.error.code).toBe("DS2019");
    expect(refused.body.error.message).toContain('checksum mismatch for "model.onnx"');
    const edited = entries.map((e) => (e.path === "manifest.json" ? { path: e.path, data: Buffer.from(Buffer.from(e.data).toString().replace('"threshold": 0.6', '"threshold": 0.61')) } : e));
    writeFileSync(path.join(repo.dir, "out", "edited.tar.gz"), gzipSync(writeTar(edited, 0)));
    const refused2 = await repo.cli(["models", "import", "out/edited.tar.gz", "--env", "prod"]);
    expect(refused2.code).toBe(1);
    expect(refused2.stderr).toMatch(/DS2019 .*manifest.json was changed.*nothing was imported/);
    expect(snapshot(ws(repo, "prod"))).toEqual(before);

    // isolation: the source workspace is made unreadable (or, as root, moved away)
    const dev = ws(repo, "dev");
    chmodSync(dev, 0o000);
    let readable = true;
    try {
      readFileSync(path.join(dev, "models", "reviews", "aliases.json"));
    } catch (error) {
      readable = (error as NodeJS.ErrnoException).code !== "EACCES";
    }
    if (readable) {
      chmodSync(dev, 0o755);
      renameSync(dev, path.join(repo.dir, "dev-unreachable"));
    }
    try {
      expect(existsSync(path.join(dev, "models"))).toBe(false);
      const imported = await repo.json(["models", "import", "out/reviews.tar.gz", "--env", "prod"]);
      expect(imported.code).toBe(0);
      expect(imported.body).toMatchObject({ env: "prod", name: "reviews", version: 1, created: true, sha256_checked: true, source: { env: "dev", version: 2, bundle_sha256: exported.body.sha256 } });
      const gated = await repo.json(["models", "promote", "reviews", "--version", "1", "--to", "prod"], ENV);
      expect(gated.body).toMatchObject({ from: "prod", to: "prod", target_version: 1, promoted: true, gate: { bootstrap: true, passed: true } });
    } finally {
      if (readable) renameSync(path.join(repo.dir, "dev-unreachable"), dev);
      else chmodSync(dev, 0o755);
    }
    // the .sha256 beside a bundle is checked too
    writeFileSync(path.join(repo.dir, "out", "reviews.tar.gz.sha256"), `${"0".repeat(64)}  reviews.tar.gz\n`);
    const wrongSum = await repo.json(["models", "import", "out/reviews.tar.gz", "--env", "staging"]);
    expect(wrongSum).toMatchObject({ code: 1, body: { error: { code: "DS2019" } } });
  });

  test("bad names, usage and configuration exit 2 with a code; nothing is imported", async () => {
    repo = await modelsRepo();
    for (const args of [
      ["models", "show", "../etc", "--env", "dev"],
      ["models", "show", "/etc/passwd", "--env", "dev"],
      ["models", "show", "x".repeat(300), "--env", "dev"],
      ["models", "alias", "reviews", "../champion", "--version", "1", "--env", "dev"],
      ["models", "export", "reviews", "--version", "0", "--env", "dev"],
    ]) {
      const r = await repo.json(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.body.error.code, args.join(" ")).toBe("DS2016");
    }
    expect((await repo.json(["models", "lst"])).body.error).toMatchObject({ code: "DS2001", hint: 'did you mean "list"?' });
    expect((await repo.json(["models", "promote", "reviews", "--version", "1", "--from", "dev"])).code).toBe(2);
    const noGate = await repo.json(["models", "promote", "reviews", "--version", "1", "--from", "staging", "--to", "dev"], ENV);
    expect(noGate).toMatchObject({ code: 2, body: { error: { code: "DS2020" } } });
    const noEvaluator = await repo.json(["models", "promote", "reviews", "--version", "1", "--from", "dev", "--to", "staging"]);
    expect(noEvaluator).toMatchObject({ code: 2, body: { error: { code: "DS2020" } } });
    expect(existsSync(path.join(ws(repo, "staging"), "models"))).toBe(false);
    expect((await repo.json(["models", "import", "nope.tar.gz", "--env", "staging"])).body.error.code).toBe("DS2002");
  });
});
