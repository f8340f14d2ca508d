import { Type, type Static, type TSchema, type TUnsafe } from "@sinclair/typebox";
import { JOB_NAME_PATTERN, TASK_KEY_PATTERN } from "../names.js";

/** A string restricted to a fixed list, emitted as a plain JSON Schema `enum`. */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });
}

/** An object whose values all match `value`, emitted as `additionalProperties`. */
export function MapOf<V extends TSchema>(value: V, options: { description?: string } = {}): TUnsafe<Record<string, Static<V>>> {
  return Type.Unsafe<Record<string, Static<V>>>({ type: "object", additionalProperties: value, ...options });
}


/** A job name as used in `name` and `run_job_task.job`. */
export const JobName = Type.String({
  pattern: JOB_NAME_PATTERN,
  maxLength: 100,
  description: "lowercase letters, digits, '_' and '-', starting with a letter or digit (at most 100 characters)",
});

/** A task key, unique within its job. */
export const TaskKey = Type.String({
  pattern: TASK_KEY_PATTERN,
  maxLength: 100,
  description: "letters, digits, '_' and '-' (at most 100 characters)",
});

export const RUN_IF = ["ALL_SUCCESS", "AT_LEAST_ONE_SUCCESS", "NONE_FAILED", "ALL_DONE", "AT_LEAST_ONE_FAILED", "ALL_FAILED"] as const;
export const CONDITION_OPS = ["EQUAL_TO", "NOT_EQUAL", "GREATER_THAN", "GREATER_THAN_OR_EQUAL", "LESS_THAN", "LESS_THAN_OR_EQUAL"] as const;
export const PAUSE_STATUS = ["PAUSED", "UNPAUSED"] as const;
