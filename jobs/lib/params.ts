/**
 * Reading task parameters, which arrive as strings (job parameters are strings; run-time
 * references are inserted as text): numbers and booleans checked, with errors that name the
 * parameter and what it got.
 */

/** A parameter that is missing or does not parse. */
export class ParameterError extends Error {
  override readonly name = "ParameterError";
}

/**
 * A numeric parameter: `min`/`max` bound it, `integer` requires a whole number; `fallback` is
 * used when it is absent or empty.
 *
 * @example
 * ```ts
 * const rows = numberParam(ctx.params, "rows", { integer: true, min: 1 });
 * const margin = numberParam(ctx.params, "margin", { min: 0, max: 0.5, fallback: 0.1 });
 * ```
 */
export function numberParam(params: object, name: string, options: { min?: number; max?: number; integer?: boolean; fallback?: number } = {}): number {
  const raw = (params as Record<string, unknown>)[name];
  if ((raw === undefined || raw === "") && options.fallback !== undefined) return options.fallback;
  const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
  const range = `${options.min ?? "-∞"}..${options.max ?? "∞"}`;
  if (!Number.isFinite(n) || (options.integer && !Number.isInteger(n)) || (options.min !== undefined && n < options.min) || (options.max !== undefined && n > options.max)) {
    throw new ParameterError(`parameter "${name}" must be ${options.integer ? "an integer" : "a number"} in ${range}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/**
 * A boolean parameter: `true`/`false` (any case), `1`/`0`.
 *
 * @example
 * ```ts
 * const higherIsBetter = boolParam(ctx.params, "greater_is_better");
 * ```
 */
export function boolParam(params: object, name: string): boolean {
  const raw = (params as Record<string, unknown>)[name];
  if (typeof raw === "boolean") return raw;
  const s = String(raw).trim().toLowerCase();
  if (s === "true" || s === "1") return true;
  if (s === "false" || s === "0") return false;
  throw new ParameterError(`parameter "${name}" must be true or false, got ${JSON.stringify(raw)}`);
}

/**
 * A string parameter that must be present and non-empty.
 *
 * @example
 * ```ts
 * const dataDir = stringParam(ctx.params, "data_dir");
 * ```
 */
export function stringParam(params: object, name: string): string {
  const raw = (params as Record<string, unknown>)[name];
  if (typeof raw !== "string" || raw.trim() === "") throw new ParameterError(`parameter "${name}" is required (a non-empty string), got ${JSON.stringify(raw)}`);
  return raw;
}

/**
 * A JSON parameter (e.g. a list passed as `{{tasks.ingest.values.new_batches}}`, which arrives as JSON text).
 *
 * @example
 * ```ts
 * const batches = jsonParam<string[]>(ctx.params, "batches");
 * ```
 */
export function jsonParam<T>(params: object, name: string): T {
  const raw = (params as Record<string, unknown>)[name];
  if (typeof raw !== "string") return raw as T;
  try {
    return JSON.parse(raw) as T;
  } catch (error) {
    throw new ParameterError(`parameter "${name}" must be JSON, got ${JSON.stringify(raw)}: ${(error as Error).message}`);
  }
}
