import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../../../errors.js";

/**
 * Reads a bundle file given on the command line, and the sha256 it must have: `--sha256`, else the
 * `<file>.sha256` that `export` wrote beside it (if present). An unreadable file is exit 2.
 */
export function readBundleFile(file: string, cwd: string, sha256Flag: unknown): { bytes: Buffer; expectedSha256?: string; label: string } {
  const full = path.resolve(cwd, file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(code === "ENOENT" ? "DS2002" : "DS2003", `cannot read the bundle "${file}": ${code ?? (error as Error).message}`, { cause: error });
  }
  const label = `bundle ${file}`;
  if (typeof sha256Flag === "string") return { bytes, expectedSha256: sha256Flag, label };
  const sidecar = `${full}.sha256`;
  if (existsSync(sidecar)) {
    const hex = /^[0-9a-fA-F]{64}/.exec(readFileSync(sidecar, "utf8").trim())?.[0];
    if (hex) return { bytes, expectedSha256: hex, label };
  }
  return { bytes, label };
}
