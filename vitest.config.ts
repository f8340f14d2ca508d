import { defineConfig } from "vitest/config";

// Tests are grouped by cost: `unit` is fast and in-process; `integration` touches the file
// system; `e2e` spawns the built CLI (tagged slow by living in test/e2e); `reliability` is the fault-injection
// suite (crashes, concurrency, bad input, secrets, isolation). `npm test` runs all.
// @actions/workflow-parser imports its JSON schema without an import attribute, which Node refuses:
// it is inlined, so vite transforms it.
const server = { deps: { inline: ["@actions/workflow-parser"] } };
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"], server } },
      { test: { name: "integration", include: ["test/integration/**/*.test.ts"] } },
      // Their setup hooks spawn the CLI, train models or build fixture workspaces: as long as a test.
      { test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 } },
      { test: { name: "reliability", include: ["test/reliability/**/*.test.ts"], testTimeout: 300_000, hookTimeout: 120_000 } },
    ],
  },
});
