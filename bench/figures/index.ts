/**
 * The registry of benchmarks, in the order they run. To add figures: write a file in this
 * folder exporting a {@link Benchmark} and add one line here.
 */
import type { Benchmark } from "../harness.js";
import { cliStartup } from "./cli-startup.js";
import { deployFigures } from "./deploy.js";
import { validateLinearity } from "./linearity.js";
import { mlFigures } from "./ml.js";
import { runTaskOverhead } from "./run-task-overhead.js";
import { reportFigures } from "./report.js";
import { runnerRss } from "./runner-rss.js";
import { tableHandoff } from "./table-handoff.js";
import { validateErrors } from "./validate-errors.js";
import { validate1000x50 } from "./validate.js";

export const BENCHMARKS: readonly Benchmark[] = [
  cliStartup,
  validate1000x50,
  validateLinearity,
  validateErrors,
  runTaskOverhead,
  tableHandoff,
  runnerRss,
  deployFigures,
  reportFigures,
  ...mlFigures,
];
