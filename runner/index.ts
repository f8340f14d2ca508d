/**
 * dagship's main entry (`import ... from "dagship"`): the Task SDK that task modules use. It is
 * light on purpose (bundled into every task); the job compiler lives in `dagship/spec`.
 *
 * @example
 * ```ts
 * import { defineTask } from "dagship";
 *
 * export default defineTask({
 *   async run(ctx) {
 *     ctx.values.set("rows", 42);
 *   },
 * });
 * ```
 */
export { defineTask } from "./sdk/index.js";
export type {
  EvaluationDataset,
  EvaluationModel,
  Evaluator,
  InferenceSession,
  InputTable,
  Json,
  Lineage,
  LoadedModel,
  Metrics,
  ModelVersionMeta,
  NewModelVersion,
  RecordBatch,
  Table,
  TableRecord,
  TaskContext,
  TaskDefinition,
  TaskFunction,
  TaskJob,
  TaskLogger,
  TaskModels,
  TaskTables,
  TaskValues,
} from "./sdk/index.js";
