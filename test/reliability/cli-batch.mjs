// Runs many dagship command lines in one process, the way bin/dagship.js runs one: through the
// CLI's `main` (the single error handler included), each with its own captured stdout/stderr.
// Used by the bad-input suite so that a thousand refusals cost seconds; the suite spawns a
// sample for real too and checks both ways answer alike.
// usage: node cli-batch.mjs <cases.json> <results.json>  (cwd: the repository)
// cases: [{ args: string[], write?: { file, base64 }, remove?: file }]
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { main } = await import(pathToFileURL(path.join(root, "dist", "runner", "cli", "main.js")).href);
const [casesFile, outFile] = process.argv.slice(2);
const cases = JSON.parse(readFileSync(casesFile, "utf8"));
const results = [];
for (const c of cases) {
  if (c.write) writeFileSync(path.resolve(c.write.file), Buffer.from(c.write.base64, "base64"));
  let stdout = "";
  let stderr = "";
  const io = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: process.env, cwd: process.cwd(), isTTY: false };
  const started = Date.now();
  let code;
  try {
    code = await main(c.args, io);
  } catch (error) {
    // Something escaped the CLI's own handler: what a real process would die of.
    code = null;
    stderr += `escaped the CLI's error handler: ${error?.stack ?? error}\n`;
  }
  if (c.remove) rmSync(path.resolve(c.remove), { force: true });
  results.push({ code, signal: null, stdout, stderr, ms: Date.now() - started });
}
writeFileSync(outFile, JSON.stringify(results));
process.exit(0);
