import path from "node:path";
import type { JobExpander, JobForm } from "../spec/compile.js";
import type { EnvironmentResult } from "../spec/environments.js";
import type { EnvironmentContext } from "../workspace/environment.js";
import type { GitInfo } from "./git.js";
import { renderJob, type RenderTarget } from "./render.js";

/**
 * An expander that compiles each job as rendered for every environment given. Environments in
 * which a job renders to the very same thing share one compilation, so a job without deploy-time
 * templates or overrides is checked once, not once per environment.
 *
 * @example
 * ```ts
 * await compileJobs(files, { expand: environmentExpander(renderTargets(validateEnvironments(envFiles, cwd).environments, git)) });
 * ```
 */
export function environmentExpander(targets: readonly RenderTarget[], options: { pauseSchedules?: boolean } = {}): JobExpander {
  return {
    labels: targets.map((t) => t.name),
    expand(value, file) {
      const declared = (value as { name?: unknown } | null)?.name;
      const name = typeof declared === "string" ? declared : path.basename(path.dirname(file));
      const forms: JobForm[] = [];
      for (const target of targets) {
        // A pause status cannot change whether a job is valid: leaving it out of the forms lets a
        // job without templates or overrides be compiled once for every environment. What is
        // deployed or run gets it (pauseSchedules: true).
        const rendered = renderJob(name, value, target, { pauseSchedules: options.pauseSchedules ?? false });
        const same = rendered.findings.length === 0 ? forms.find((f) => f.value === rendered.value && f.findings.length === 0) : undefined;
        if (same) same.labels!.push(target.name);
        else forms.push({ value: rendered.value, findings: rendered.findings, labels: [target.name] });
      }
      return forms;
    },
  };
}

/**
 * The environments that can be rendered for: every validated environment file without errors (the
 * others are reported by environment validation and not rendered for).
 */
export function renderTargets(environments: readonly EnvironmentResult[], git: GitInfo): RenderTarget[] {
  return environments.flatMap((e) =>
    e.environment ? [{ name: e.environment.name, spec: e.environment, file: e.file, locate: e.locate, git }] : [],
  );
}

/**
 * The render target of an opened environment (see `loadEnvironment`), or undefined for a
 * context built by hand without its file (jobs then run as written).
 */
export function targetOf(env: EnvironmentContext, git: GitInfo): RenderTarget | undefined {
  if (!env.spec || !env.source) return undefined;
  return { name: env.name, spec: env.spec, file: env.source.file, locate: env.source.locate, git };
}
