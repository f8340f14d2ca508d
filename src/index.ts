// The action's entry point, bundled into .github/actions/dagship/dist/index.js (npm run build:action).
import { run } from "./main.js";

await run();
