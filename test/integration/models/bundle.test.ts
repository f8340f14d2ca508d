import { readFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DagshipError } from "../../../runner/errors.js";
import { buildBundle, readBundle } from "../../../runner/models/bundle.js";
import { importBundle } from "../../../runner/models/import.js";
import { registerVersion } from "../../../runner/models/index.js";
import { readTar, writeTar } from "../../../runner/models/tar.js";
import { actor, model, remove, snapshot, tempDir, workspace } from "./helpers.js";

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => remove(dir));

/** Rewrites one entry of a gzipped bundle (as someone editing it by hand would). */
function edit(bundle: Buffer, file: string, change: (data: Buffer) => Buffer): Buffer {
  const entries = readTar(gunzipSync(bundle)).map((e) => ({ path: e.path, data: e.path === file ? change(Buffer.from(e.data)) : e.data }));
  return gzipSync(writeTar(entries, 0));
}

function refusal(fn: () => unknown): DagshipError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DagshipError) return error;
    throw error;
  }
  throw new Error("not refused");
}

describe("model bundles", () => {
  it("round-trips a version: export, verify, import as a new version whose lineage names its source", async () => {
    const dev = workspace(dir, "dev");
    const staging = workspace(dir, "staging");
    await registerVersion(dev.workspace, "reviews", model(0.4));
    await registerVersion(dev.workspace, "reviews", model(0.5));
    await registerVersion(staging.workspace, "reviews", model(0.9)); // staging has its own history
    const { bytes, sha256, manifest } = buildBundle(dev, "reviews", 2);
    expect(Object.keys(manifest.files).sort()).toEqual(["files/featurizer/config.json", "model.onnx"]);
    expect(readTar(gunzipSync(bytes)).map((e) => e.path)).toEqual(["manifest.json", "model.onnx", "files/featurizer/config.json"]);
    const bundle = readBundle(bytes, { expectedSha256: sha256 });
    const { meta, created, source } = await importBundle(staging, bundle, actor);
    expect(created).toBe(true);
    expect(meta.version).toBe(2);
    const src = dev.meta("reviews", 2);
    expect(meta).toMatchObject({ onnx_sha256: src.onnx_sha256, metrics: src.metrics, params: src.params, featurizer: src.featurizer, files: src.files });
    expect(meta.lineage).toMatchObject({ env: "dev", job: "retrain", run_id: "r-1", task_key: "train", input_tables: src.lineage.input_tables });
    expect(source).toMatchObject({ env: "dev", name: "reviews", version: 2, bundle_sha256: sha256 });
    expect(readFileSync(staging.resolve("reviews", { version: 2 }).onnx, "utf8")).toContain("threshold=0.5");
    expect(staging.audit("reviews").at(-1)).toMatchObject({ event: "register", version: 2, source: { env: "dev", version: 2 } });
    // importing the same version again registers nothing new
    const again = await importBundle(staging, readBundle(buildBundle(dev, "reviews", 2).bytes), actor);
    expect(again).toMatchObject({ created: false, meta: { version: 2 } });
    // a chain dev → staging → prod keeps the earlier hop
    const prod = workspace(dir, "prod");
    const hop = await importBundle(prod, readBundle(buildBundle(staging, "reviews", 2).bytes), actor);
    expect(hop.meta.lineage.source).toMatchObject({ env: "staging", version: 2, previous: { env: "dev", version: 2 } });
    expect(hop.meta.lineage.env).toBe("dev");
  });

  it("writes a plain tar on request and reads both", async () => {
    const dev = workspace(dir, "dev");
    await registerVersion(dev.workspace, "reviews", model(0.4));
    const plain = buildBundle(dev, "reviews", 1, { gzip: false });
    expect(plain.bytes.subarray(257, 262).toString()).toBe("ustar");
    expect(readBundle(plain.bytes).manifest.version).toBe(1);
  });

  it("refuses a tampered bundle with a checksum error (DS2019, exit 1), and the target does not change", async () => {
    const dev = workspace(dir, "dev");
    const staging = workspace(dir, "staging");
    await registerVersion(dev.workspace, "reviews", model(0.4));
    await registerVersion(staging.workspace, "reviews", model(0.7));
    const before = snapshot(staging.workspace);
    const { bytes, sha256 } = buildBundle(dev, "reviews", 1);
    const cases: Array<[string, Buffer, RegExp]> = [
      ["one byte of model.onnx", edit(bytes, "model.onnx", (d) => (d[0]!++, d)), /checksum mismatch for "model.onnx"/],
      ["one byte of a further file", edit(bytes, "files/featurizer/config.json", (d) => Buffer.concat([d, Buffer.from(" ")])), /checksum mismatch for "files\/featurizer\/config.json"/],
      ["the manifest's metrics", edit(bytes, "manifest.json", (d) => Buffer.from(d.toString().replace('"accuracy": 0.5', '"accuracy": 0.99'))), /manifest.json was changed/],
      [
        "the manifest and model.onnx together",
        edit(edit(bytes, "model.onnx", () => Buffer.from("threshold=0.1\n")), "manifest.json", (d) => {
          const m = JSON.parse(d.toString());
          m.files["model.onnx"] = "0".repeat(64);
          return Buffer.from(JSON.stringify(m));
        }),
        /manifest.json was changed|checksum mismatch/,
      ],
      ["an extra file", gzipSync(writeTar([...readTar(gunzipSync(bytes)), { path: "files/evil.sh", data: Buffer.from("rm -rf /") }], 0)), /not listed in manifest.json/],
      ["a missing file", gzipSync(writeTar(readTar(gunzipSync(bytes)).filter((e) => e.path !== "model.onnx"), 0)), /missing from the archive/],
      ["no manifest", gzipSync(writeTar(readTar(gunzipSync(bytes)).filter((e) => e.path !== "manifest.json"), 0)), /no manifest.json/],
      ["garbage", Buffer.from("this is not a bundle"), /not a valid tar archive/],
      ["truncated gzip", bytes.subarray(0, bytes.length - 20), /not valid gzip|not a valid tar/],
    ];
    for (const [what, tampered, why] of cases) {
      const e = refusal(() => readBundle(tampered));
      expect(e, what).toMatchObject({ code: "DS2019", exitCode: 1 });
      expect(e.message, what).toMatch(why);
      expect(e.message).toContain("nothing was imported");
    }
    // the whole bundle's sha256, when known, catches even a consistent rewrite
    expect(refusal(() => readBundle(bytes, { expectedSha256: "f".repeat(64) })).message).toContain(`its sha256 is ${sha256}`);
    expect(snapshot(staging.workspace)).toEqual(before);
  });

  it("refuses a bundle whose manifest names a path outside the registry", async () => {
    const dev = workspace(dir, "dev");
    await registerVersion(dev.workspace, "reviews", model(0.4));
    const { bytes } = buildBundle(dev, "reviews", 1);
    const evil = edit(bytes, "manifest.json", (d) => Buffer.from(d.toString().replaceAll('"name": "reviews"', '"name": "../../etc"')));
    expect(refusal(() => readBundle(evil)).message).toMatch(/model name "..\/..\/etc" contains ..\//);
  });
});
