import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { ExportsCache } from "../../../runner/spec/exports-cache.js";
import { analyseModules } from "../../../runner/spec/exports.js";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("cached export analyses are reused until the module or anything it imports changes", async () => {
  dir = mkdtempSync(path.join(tmpdir(), "dagship-exports-"));
  mkdirSync(path.join(dir, "lib"));
  const task = path.join(dir, "task.ts");
  writeFileSync(path.join(dir, "lib", "shared.ts"), "export const a = 1;\n");
  writeFileSync(task, 'export * from "./lib/shared.js";\nexport default 1;\n');
  const cacheDir = path.join(dir, "cache");
  expect((await analyseModules([task], dir, new ExportsCache(cacheDir))).get(task)).toEqual({ ok: true, exports: ["a", "default"] });
  expect(new ExportsCache(cacheDir).get(task)).toEqual({ ok: true, exports: ["a", "default"] });

  // A change two files away invalidates the entry; the next analysis sees the new export.
  writeFileSync(path.join(dir, "lib", "shared.ts"), "export const a = 1;\nexport const b = 2;\n");
  expect(new ExportsCache(cacheDir).get(task)).toBeUndefined();
  expect((await analyseModules([task], dir, new ExportsCache(cacheDir))).get(task)).toEqual({ ok: true, exports: ["a", "b", "default"] });
});

test("a module that does not parse is reported, never cached", async () => {
  dir = mkdtempSync(path.join(tmpdir(), "dagship-exports-"));
  const bad = path.join(dir, "bad.ts");
  writeFileSync(bad, "export const = ;\n");
  const cacheDir = path.join(dir, "cache");
  const info = (await analyseModules([bad], dir, new ExportsCache(cacheDir))).get(bad);
  expect(info).toMatchObject({ ok: false, line: 1 });
  expect(new ExportsCache(cacheDir).get(bad)).toBeUndefined();
});
