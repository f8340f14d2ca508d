#!/usr/bin/env node
// The dagship CLI. The TypeScript sources are compiled to dist/ by `npm run build`
// (run automatically by `npm ci` through the `prepare` script).
let cli;
try {
  cli = await import("../dist/runner/cli/main.js");
} catch (error) {
  if (error && error.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/runner/cli/main.js")) {
    process.stderr.write("dagship: the CLI is not built yet (dist/ is missing). Run `npm run build` in the dagship checkout.\n");
    process.exit(2);
  }
  throw error;
}
process.exitCode = await cli.main(process.argv.slice(2));
