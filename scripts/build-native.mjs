// Builds native/map-file.c into native/build/map-file.node with the C compiler and Node's own
// headers (the N-API symbols resolve against the running node at load time: no node-gyp, no
// download). Without a compiler or headers the build says so and goes on: tables are then read
// into memory instead of mapped (runner/sdk/map-file.ts). In CI (CI=true) that is an error, so
// the mapped path is what the tests exercise there.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = path.join(root, "native", "map-file.c");
const target = path.join(root, "native", "build", "map-file.node");
const headers = [path.resolve(process.execPath, "..", "..", "include", "node"), "/usr/include/node", "/usr/local/include/node"].find((dir) =>
  existsSync(path.join(dir, "node_api.h")),
);
const compiler = process.env.CC ?? "cc";

function skip(reason) {
  const message = `build-native: ${reason}; tables will be read into memory instead of mapped`;
  if (process.env.CI === "true") {
    console.error(`${message} (an error in CI)`);
    process.exit(1);
  }
  console.warn(message);
  process.exit(0);
}

if (process.platform !== "linux" && process.platform !== "darwin") skip(`no native build on ${process.platform}`);
if (!headers) skip("Node's headers (node_api.h) were not found");
mkdirSync(path.dirname(target), { recursive: true });
const tmp = `${target}.${process.pid}.tmp`;
const args = ["-O2", "-std=c11", "-D_GNU_SOURCE", "-Wall", "-Werror", "-fPIC", "-shared", `-I${headers}`, source, "-o", tmp];
if (process.platform === "darwin") args.push("-undefined", "dynamic_lookup");
const r = spawnSync(compiler, args, { encoding: "utf8" });
if (r.error) skip(`${compiler} could not be run (${r.error.message})`);
if (r.status !== 0) skip(`${compiler} failed:\n${r.stderr}`);
// A rebuild while tasks run never hands one a half-written library.
renameSync(tmp, target);
