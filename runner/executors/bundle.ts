/**
 * Bundles a task module with esbuild so TypeScript tasks run with no build step, and caches the
 * bundle by content: the key is a sha256 over the entry and every bundled input file (path and
 * content), so it changes when the module or anything it imports changes.
 *
 * Cache layout under `cacheDir`:
 * - `tasks/<sha256(entry, root, format)>.json` — the manifest of the entry's last build: its key,
 *   the bundled input files with their sha256, the packages it imports;
 * - `bundles/<key>.mjs` (+ `.mjs.map`) — the bundle itself, immutable once written.
 * Before reuse every input is hashed again (a few small files: cheaper than any stat heuristic
 * and immune to coarse mtimes). Every file is written atomically, so concurrent attempts
 * bundling the same module at worst build twice, never read a torn file.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build, version as esbuildVersion, type Message, type Plugin } from "esbuild";
import { writeFileAtomic } from "../workspace/atomic.js";

/** Bump when the bundle's shape or the build options change. */
const FORMAT = 1;

/** A bundled task module, or why it could not be bundled. */
export type BundleResult =
  | { ok: true; file: string; key: string; cached: boolean; externals: Record<string, string>; inputs: Array<{ path: string; sha256: string }> }
  | { ok: false; message: string };

interface Manifest {
  format: number;
  esbuild: string;
  entry: string;
  key: string;
  inputs: Array<{ path: string; sha256: string }>;
  /** Bare import → the file it resolved to (kept external, imported by absolute URL). */
  externals: Record<string, string>;
}

const inProgress = new Map<string, Promise<BundleResult>>();

/**
 * Returns the cached bundle of `entry` when every input is unchanged, or builds it. Bare imports
 * stay external but are pinned to the file they resolve to from the task's own folder (so the
 * bundle runs from any cache folder); `import "dagship"` resolves to `sdk` and is bundled in.
 *
 * @example
 * ```ts
 * const b = await bundleTask("/repo/jobs/a/tasks/x.ts", "/repo", "/repo/.dagship/cache", sdkFiles().sdk);
 * if (b.ok) await import(pathToFileURL(b.file).href);
 * ```
 */
export function bundleTask(entry: string, root: string, cacheDir: string, sdk: string): Promise<BundleResult> {
  const manifestFile = path.join(cacheDir, "tasks", `${sha256(`${FORMAT}\0${esbuildVersion}\0${entry}\0${root}\0${sdk}`)}.json`);
  const running = inProgress.get(manifestFile);
  if (running) return running;
  const work = (async () => cached(manifestFile, cacheDir) ?? (await rebuild(entry, root, cacheDir, sdk, manifestFile)))();
  inProgress.set(manifestFile, work);
  return work.finally(() => inProgress.delete(manifestFile));
}

function cached(manifestFile: string, cacheDir: string): BundleResult | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
  } catch {
    return undefined;
  }
  if (manifest.format !== FORMAT || manifest.esbuild !== esbuildVersion) return undefined;
  const file = bundlePath(cacheDir, manifest.key);
  if (!existsSync(file)) return undefined;
  for (const input of manifest.inputs) {
    if (hashFile(input.path) !== input.sha256) return undefined;
  }
  for (const target of Object.values(manifest.externals)) if (!existsSync(target)) return undefined;
  return { ok: true, file, key: manifest.key, cached: true, externals: manifest.externals, inputs: manifest.inputs };
}

async function rebuild(entry: string, root: string, cacheDir: string, sdk: string, manifestFile: string): Promise<BundleResult> {
  const externals: Record<string, string> = {};
  let result;
  try {
    result = await build({
      entryPoints: [entry],
      absWorkingDir: root,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // Resolve packages as Node does: no "module" condition or main field.
      conditions: [],
      mainFields: ["main"],
      write: false,
      metafile: true,
      sourcemap: "linked",
      outfile: path.join(cacheDir, "bundles", "task.mjs"),
      logLevel: "silent",
      banner: { js: 'import { createRequire as __dagshipRequire } from "node:module"; const require = __dagshipRequire(import.meta.url);' },
      plugins: [packagesPlugin(sdk, externals)],
    });
  } catch (error) {
    const messages = (error as { errors?: Message[] }).errors;
    if (!messages) throw error;
    return { ok: false, message: `could not bundle ${path.relative(root, entry) || entry}:\n${messages.slice(0, 5).map((m) => `  ${formatMessage(m, root)}`).join("\n")}` };
  }
  const inputs = Object.keys(result.metafile.inputs)
    .map((p) => path.resolve(root, p))
    .filter((p) => existsSync(p))
    .sort()
    .map((p) => ({ path: p, sha256: hashFile(p) }));
  const key = sha256(JSON.stringify([FORMAT, esbuildVersion, entry, inputs, externals]));
  const file = bundlePath(cacheDir, key);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const js = result.outputFiles.find((f) => f.path.endsWith(".mjs"));
    const map = result.outputFiles.find((f) => f.path.endsWith(".mjs.map"));
    if (!js) throw new Error(`esbuild produced no bundle for ${entry}`);
    if (map) writeFileAtomic(`${file}.map`, map.contents);
    writeFileAtomic(file, js.text.replace(/\/\/# sourceMappingURL=task\.mjs\.map\s*$/, `//# sourceMappingURL=${key}.mjs.map\n`));
  }
  const manifest: Manifest = { format: FORMAT, esbuild: esbuildVersion, entry, key, inputs, externals };
  mkdirSync(path.dirname(manifestFile), { recursive: true });
  writeFileAtomic(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
  return { ok: true, file, key, cached: false, externals, inputs };
}

/**
 * Bare imports: `dagship` → the SDK (bundled); Node built-ins stay as they are; a package stays
 * external, pinned to the absolute file it resolves to (a tsconfig `paths` alias that lands
 * outside node_modules is bundled like any local file).
 */
function packagesPlugin(sdk: string, externals: Record<string, string>): Plugin {
  return {
    name: "dagship-packages",
    setup(b) {
      b.onResolve({ filter: /^[^./]|^\.[^./]|^\.\.[^/]/ }, async (args) => {
        if (args.pluginData === "inner" || path.isAbsolute(args.path)) return undefined;
        if (args.path === "dagship") return { path: sdk };
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const found = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: "inner" });
        if (found.errors.length > 0) return { errors: found.errors };
        if (found.external || !found.path.split(path.sep).includes("node_modules")) return { path: found.path, external: found.external };
        externals[args.path] = found.path;
        const require = args.kind === "require-call" || args.kind === "require-resolve";
        return { path: require ? found.path : pathToFileURL(found.path).href, external: true };
      });
    },
  };
}

function formatMessage(m: Message, root: string): string {
  const at = m.location ? `${path.relative(root, path.resolve(root, m.location.file))}:${m.location.line}:${m.location.column + 1}: ` : "";
  return `${at}${m.text}`;
}

function bundlePath(cacheDir: string, key: string): string {
  return path.join(cacheDir, "bundles", `${key}.mjs`);
}

function hashFile(file: string): string {
  try {
    return sha256(readFileSync(file));
  } catch {
    return "missing";
  }
}

function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
