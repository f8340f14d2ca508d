/**
 * `dagship init`: a new dagship repository from `templates/project/<template>/`, with its GitHub
 * workflows rendered from `templates/github/`. Everything is rendered in memory first, then
 * written in one step (see ./write.ts), so a failure leaves nothing behind.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { ConfigError, UsageError } from "../errors.js";
import { packageInfo } from "../package-info.js";
import { didYouMean, formatList } from "../spec/suggest.js";
import type { TemplateVars } from "./render.js";
import { renderTree, type OutputFile } from "./tree.js";
import { renderWorkflows, workflowSettings } from "./workflows.js";
import { writeTreeAtomically } from "./write.js";

/** The template `init` uses without `--template`. */
export const DEFAULT_TEMPLATE = "default";

/** The example job every project template holds (its folder is `jobs/__job__/`). */
export const EXAMPLE_JOB = "hello";

/** npm's rule for a package name (lower case, URL-safe, optionally scoped), at most 214 characters. */
const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

export interface InitOptions {
  /** A folder of `templates/project/` (default {@link DEFAULT_TEMPLATE}). */
  template?: string;
  /** Depend on this dagship checkout (`file:<its root>`) instead of the published version. */
  link?: boolean;
  /** The package name (default: derived from the folder's name). */
  name?: string;
  /** dagship's package root, holding `templates/` (default: this package). */
  packageRoot?: string;
}

/** What `init` created. */
export interface InitResult {
  dir: string;
  name: string;
  template: string;
  /** The generated package.json's `dagship` dependency: `file:/…` or `^<version>`. */
  dependency: string;
  job: string;
  /** Every file written, relative to `dir`, sorted. */
  files: string[];
}

/**
 * The project templates this dagship ships: the folders of `templates/project/`, sorted.
 *
 * @example
 * ```ts
 * projectTemplates(); // ["default"]
 * ```
 */
export function projectTemplates(packageRoot = packageInfo().root): string[] {
  const dir = path.join(packageRoot, "templates", "project");
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/**
 * Creates a dagship repository in `dir` (absent, or an empty folder). Throws a
 * {@link ConfigError}: DS2009 when `dir` is not empty, DS2010 for an unknown template, DS2011
 * (a TemplateError) when a template cannot be rendered; a {@link UsageError} for a bad `name`.
 *
 * @example
 * ```ts
 * const result = initProject("/tmp/acme", { link: true });
 * // result.files: [".github/workflows/branch.yml", ..., "jobs/hello/job.json", "package.json", ...]
 * ```
 */
export function initProject(dir: string, options: InitOptions = {}): InitResult {
  const info = packageInfo();
  const packageRoot = options.packageRoot ?? info.root;
  const template = options.template ?? DEFAULT_TEMPLATE;
  const known = projectTemplates(packageRoot);
  if (!known.includes(template)) {
    throw new ConfigError("DS2010", `unknown project template "${template}"`, { hint: didYouMean(template, known, "templates") });
  }
  const target = path.resolve(dir);
  assertEmpty(target, dir);
  const name = options.name ?? nameFromFolder(target);
  if (!PACKAGE_NAME.test(name) || name.length > 214) {
    throw new UsageError(`"${name}" cannot be a package name`, { hint: "use lower-case letters, digits, - . _ ~ (e.g. --name my-jobs)" });
  }
  const dependency = options.link ? `file:${packageRoot}` : `^${info.version}`;
  const vars = projectVars(name, dependency, info.version, packageRoot);
  const files = renderTree(path.join(packageRoot, "templates", "project", template), vars, `templates/project/${template}`);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const settings = workflowSettings((rel) => byPath.get(rel)?.content.toString("utf8"));
  const workflows: OutputFile[] = renderWorkflows(settings, path.join(packageRoot, "templates", "github")).map((w) => ({ path: w.path, content: Buffer.from(w.content), mode: 0o644 }));
  const all = [...files, ...workflows].sort((a, b) => (a.path < b.path ? -1 : 1));
  writeTreeAtomically(target, all);
  return { dir: target, name, template, dependency, job: EXAMPLE_JOB, files: all.map((f) => f.path) };
}

/**
 * The variables a project template sees: `project.name`, `dagship.{version,dependency}`,
 * `versions.{vitest,typescript,types_node}` (this package's own dev dependencies, so a linked
 * project installs what is already cached), `node_version`, `job` and `dot` (for `__dot__`).
 */
function projectVars(name: string, dependency: string, version: string, packageRoot: string): TemplateVars {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { devDependencies?: Record<string, string>; engines?: { node?: string } };
  const dev = pkg.devDependencies ?? {};
  const need = (dep: string): string => {
    const v = dev[dep];
    if (!v) throw new ConfigError("DS2003", `dagship's package.json has no devDependency "${dep}" to give the new project`, { hint: "reinstall dagship" });
    return v;
  };
  return {
    project: { name },
    dagship: { version, dependency },
    versions: { vitest: need("vitest"), typescript: need("typescript"), types_node: need("@types/node") },
    node_engine: pkg.engines?.node ?? ">=20",
    node_version: /\d+/.exec(pkg.engines?.node ?? "")?.[0] ?? "20",
    job: EXAMPLE_JOB,
    dot: ".",
  };
}

/** Refuses a target that exists and is not an empty folder (DS2009); nothing is written. */
function assertEmpty(target: string, shown: string): void {
  const stat = statSync(target, { throwIfNoEntry: false });
  if (!stat) return;
  if (!stat.isDirectory()) throw new ConfigError("DS2009", `"${shown}" exists and is not a folder`, { hint: "choose a new folder for the project" });
  const entries = readdirSync(target).sort();
  if (entries.length) {
    throw new ConfigError("DS2009", `folder "${shown}" is not empty (it holds ${formatList(entries, 5)})`, { hint: "choose a new folder, or empty this one first; dagship init never overwrites files" });
  }
}

/** A package name from a folder name: lower case, other characters as `-`. */
function nameFromFolder(target: string): string {
  const base = path.basename(target).toLowerCase().replace(/[^a-z0-9-._~]+/g, "-").replace(/^[-._~]+|-+$/g, "");
  return base || "dagship-project";
}
