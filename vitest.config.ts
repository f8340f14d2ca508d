import { defineConfig } from "vitest/config";

// Tests are grouped by cost: `unit` is fast and in-process; `integration` touches the file
// system; `e2e` spawns the built CLI (tagged slow by living in test/e2e). `npm test` runs all.
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      { test: { name: "integration", include: ["test/integration/**/*.test.ts"] } },
      { test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], testTimeout: 60_000 } },
    ],
  },
});
