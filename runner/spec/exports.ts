import path from "node:path";
import { build, type Message } from "esbuild";

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
export async function analyseModules(paths: readonly string[], root: string): Promise<Map<string, ModuleInfo>> {
  const out = new Map<string, ModuleInfo>();
  if (paths.length === 0) return out;
  try {
    collect(await bundle(paths, root), root, out);
  } catch (error) {
    const messages = (error as { errors?: Message[] }).errors;
    if (!messages) throw error;
    // Attribute errors precisely: analyse every module on its own.
    await Promise.all(
      paths.map(async (p) => {
        try {
          collect(await bundle([p], root), root, out);
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

function collect(result: Awaited<ReturnType<typeof bundle>>, root: string, out: Map<string, ModuleInfo>): void {
  for (const output of Object.values(result.metafile.outputs)) {
    if (output.entryPoint) out.set(path.resolve(root, output.entryPoint), { ok: true, exports: [...output.exports].sort() });
  }
}

function located(m: Message, entry: string, root: string): ModuleInfo {
  const file = m.location?.file ? path.resolve(root, m.location.file) : entry;
  return { ok: false, file, line: m.location?.line ?? 1, column: (m.location?.column ?? 0) + 1, message: m.text };
}
