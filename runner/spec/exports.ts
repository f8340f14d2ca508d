import path from "node:path";
import { build, type Message, type Metafile } from "esbuild";
import type { ExportsCache } from "./exports-cache.js";

/** What a module exports, or why it could not be analysed (located in the module's file). */
export type ModuleInfo =
  | { ok: true; exports: string[] }
  | { ok: false; file: string; line: number; column: number; message: string };

/**
 * Lists the exports of TypeScript/JavaScript modules without executing them: esbuild parses
 * and links each module (following relative imports, leaving packages external) and reports
 * its export names. All modules go through one esbuild call; a module that fails is isolated
 * and reported with the location of its first error.
 *
 * @example
 * ```ts
 * const info = await analyseModules(["/repo/jobs/a/tasks/x.ts"], "/repo");
 * info.get("/repo/jobs/a/tasks/x.ts"); // { ok: true, exports: ["default", "helper"] }
 * ```
 */
export async function analyseModules(paths: readonly string[], root: string, cache?: ExportsCache): Promise<Map<string, ModuleInfo>> {
  const out = new Map<string, ModuleInfo>();
  const todo = cache ? paths.filter((p) => !hit(cache, p, out)) : paths;
  if (todo.length === 0) return out;
  paths = todo;
  try {
    collect(await bundle(paths, root), root, out, cache);
  } catch (error) {
    const messages = (error as { errors?: Message[] }).errors;
    if (!messages) throw error;
    // Attribute errors precisely: analyse every module on its own.
    await Promise.all(
      paths.map(async (p) => {
        try {
          collect(await bundle([p], root), root, out, cache);
        } catch (inner) {
          const first = (inner as { errors?: Message[] }).errors?.[0];
          if (!first) throw inner;
          out.set(p, located(first, p, root));
        }
      }),
    );
  }
  return out;
}

function bundle(entryPoints: readonly string[], root: string) {
  return build({
    entryPoints: [...entryPoints],
    absWorkingDir: root,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    metafile: true,
    outdir: path.join(root, ".dagship-analysis"),
    outbase: root,
    logLevel: "silent",
    sourcemap: false,
  });
}

/** Every local file an entry imports, directly or not (the files its analysis depends on). */
function reachable(inputs: Metafile["inputs"], entry: string): string[] {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    for (const i of inputs[queue.pop()!]?.imports ?? []) {
      if (i.external || seen.has(i.path) || !(i.path in inputs)) continue;
      seen.add(i.path);
      queue.push(i.path);
    }
  }
  return [...seen];
}

function hit(cache: ExportsCache, p: string, out: Map<string, ModuleInfo>): boolean {
  const info = cache.get(p);
  if (info) out.set(p, info);
  return info !== undefined;
}

function collect(result: Awaited<ReturnType<typeof bundle>>, root: string, out: Map<string, ModuleInfo>, cache?: ExportsCache): void {
  for (const output of Object.values(result.metafile.outputs)) {
    if (!output.entryPoint) continue;
    const entry = path.resolve(root, output.entryPoint);
    const exports = [...output.exports].sort();
    out.set(entry, { ok: true, exports });
    if (cache) cache.set(entry, exports, reachable(result.metafile.inputs, output.entryPoint).map((p) => path.resolve(root, p)));
  }
}

function located(m: Message, entry: string, root: string): ModuleInfo {
  const file = m.location?.file ? path.resolve(root, m.location.file) : entry;
  return { ok: false, file, line: m.location?.line ?? 1, column: (m.location?.column ?? 0) + 1, message: m.text };
}
