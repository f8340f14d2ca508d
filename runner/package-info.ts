import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** This package's name and version, read from its package.json (found from this module's folder). */
export function packageInfo(): { name: string; version: string; root: string } {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "dagship") return { name: pkg.name, version: pkg.version ?? "0.0.0", root: dir };
    }
    if (path.dirname(dir) === dir) throw new Error("dagship's package.json was not found");
  }
}
