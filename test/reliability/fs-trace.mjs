// A preload (node --import) that records every path the process hands to node:fs — sync,
// callback and promise APIs, streams included — in the file DAGSHIP_FS_TRACE names, one absolute
// path a line. The isolation suite runs the CLI with it (through NODE_OPTIONS, so task processes
// are traced too) and checks that no path lies in another environment's workspace. It works the
// same for root, whom chmod does not stop.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const log = process.env.DAGSHIP_FS_TRACE;
if (log) {
  const append = fs.appendFileSync; // the original: the trace itself is not traced
  const seen = new Set();
  const record = (p) => {
    let s;
    if (typeof p === "string") s = p;
    else if (p instanceof URL) s = p.protocol === "file:" ? fileURLToPath(p) : undefined;
    else if (Buffer.isBuffer(p)) s = p.toString();
    if (s === undefined || s === "") return;
    const abs = path.resolve(s);
    if (seen.has(abs)) return;
    seen.add(abs);
    append(log, `${abs}\n`);
  };
  const onePath = ["access", "appendFile", "chmod", "chown", "createReadStream", "createWriteStream", "exists", "lchown", "lstat", "lutimes", "mkdir", "mkdtemp", "open", "openAsBlob", "opendir", "readdir", "readFile", "readlink", "realpath", "rm", "rmdir", "stat", "statfs", "truncate", "unlink", "utimes", "watch", "watchFile", "writeFile", "glob"];
  const twoPaths = ["copyFile", "cp", "link", "rename", "symlink"];
  const wrap = (target, name, paths) => {
    const original = target[name];
    if (typeof original !== "function") return;
    const wrapped = function (...args) {
      for (let i = 0; i < paths; i++) record(args[i]);
      return original.apply(this, args);
    };
    for (const key of Object.keys(original)) wrapped[key] = original[key]; // realpath.native
    if (typeof original.native === "function") {
      const native = original.native;
      wrapped.native = function (...args) {
        record(args[0]);
        return native.apply(this, args);
      };
    }
    target[name] = wrapped;
  };
  for (const name of onePath) {
    wrap(fs, name, 1);
    wrap(fs, `${name}Sync`, 1);
    wrap(fs.promises, name, 1);
  }
  for (const name of twoPaths) {
    wrap(fs, name, 2);
    wrap(fs, `${name}Sync`, 2);
    wrap(fs.promises, name, 2);
  }
  syncBuiltinESMExports();
}
