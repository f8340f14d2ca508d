import { readFileSync } from "node:fs";
import { ConfigError } from "../errors.js";

/** Reads a configuration file's bytes; an unreadable file is a {@link ConfigError} (exit 2). */
export function readConfigFile(file: string, shown: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "it does not exist" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a folder" : code === "ENAMETOOLONG" ? "the name is too long for the file system" : (error as Error).message;
    throw new ConfigError(code === "ENOENT" || code === "ENAMETOOLONG" ? "DS2002" : "DS2003", `cannot read "${shown}": ${reason}`);
  }
}
