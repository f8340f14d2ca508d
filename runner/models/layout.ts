/**
 * Where a model lives in an environment's workspace:
 *
 * ```text
 * <workspace>/models/<name>/
 *   versions/<N>/model.onnx  meta.json  files/<path>   one immutable version (1, 2, 3, ...)
 *   aliases.json                                        alias → version, written atomically
 *   audit.jsonl                                         append-only: registrations, alias moves, gate decisions
 *   versions.lock                                       held while a version is allocated and written
 *   aliases.lock                                        held while aliases move (and a gate decides)
 *   .staging/                                           versions being assembled (renamed into versions/ whole)
 * ```
 */
import path from "node:path";
import { checkFilePath, checkModelName } from "./names.js";

/** The paths of one model of a workspace; the name is checked on construction. */
export class ModelPaths {
  readonly dir: string;
  constructor(
    readonly workspace: string,
    readonly name: string,
  ) {
    checkModelName(name);
    this.dir = path.join(modelsDir(workspace), name);
  }
  get versionsDir(): string {
    return path.join(this.dir, "versions");
  }
  versionDir(version: number): string {
    return path.join(this.versionsDir, String(version));
  }
  onnx(version: number): string {
    return path.join(this.versionDir(version), "model.onnx");
  }
  meta(version: number): string {
    return path.join(this.versionDir(version), "meta.json");
  }
  /** A further file of a version (the path is checked). */
  file(version: number, file: string): string {
    return path.join(this.versionDir(version), "files", ...checkFilePath(file).split("/"));
  }
  get aliases(): string {
    return path.join(this.dir, "aliases.json");
  }
  get audit(): string {
    return path.join(this.dir, "audit.jsonl");
  }
  get versionsLock(): string {
    return path.join(this.dir, "versions.lock");
  }
  get aliasesLock(): string {
    return path.join(this.dir, "aliases.lock");
  }
  get staging(): string {
    return path.join(this.dir, ".staging");
  }
}

/** `<workspace>/models`. */
export function modelsDir(workspace: string): string {
  return path.join(workspace, "models");
}
