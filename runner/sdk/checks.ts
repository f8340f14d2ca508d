/**
 * Argument checks of the Task SDK, shared by values and tables: names that are safe as file
 * names, values that are plain JSON and small. Built-ins only (this runs in every child).
 */

/** The largest value, serialized as JSON (UTF-8 bytes). */
export const MAX_VALUE_BYTES = 48 * 1024;

const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * Whether `name` is a valid value or table name (see {@link checkName}). The runner checks what
 * a task process reports with it too, since a task can write to its channel without the SDK.
 *
 * @example
 * ```ts
 * isValidName("rows"); // true
 * isValidName("../x"); // false
 * ```
 */
export function isValidName(name: unknown): name is string {
  // "__proto__" would be an object's prototype, not a key, wherever the name keys a record.
  return typeof name === "string" && NAME.test(name) && name !== "." && name !== ".." && name !== "__proto__";
}

/**
 * Throws when `name` is not a valid value or table name: 1–128 characters of letters, digits,
 * `_`, `.` and `-` (so no slashes, no NUL, no `..`).
 */
export function checkName(where: string, name: unknown): asserts name is string {
  if (isValidName(name)) return;
  const shown = typeof name === "string" ? JSON.stringify(name) : String(name);
  throw new TypeError(
    `${where}: invalid name ${shown}: use 1–128 characters of A–Z, a–z, 0–9, "_", "." and "-" (no slashes, no "..", no control characters, not "__proto__")`,
  );
}

/**
 * Serializes a value, or throws when it is not plain JSON or is over {@link MAX_VALUE_BYTES}.
 * Plain JSON: null, booleans, finite numbers, strings, arrays and plain objects of those.
 */
export function serializeValue(name: string, value: unknown): string {
  const problem = findProblem(value, "value", new Set());
  if (problem) throw new TypeError(`values.set(${JSON.stringify(name)}): the value is not JSON: ${problem}`);
  const text = JSON.stringify(value);
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_VALUE_BYTES) {
    throw new RangeError(
      `values.set(${JSON.stringify(name)}): the value is ${bytes.toLocaleString("en")} bytes serialized, ` +
        `${(bytes - MAX_VALUE_BYTES).toLocaleString("en")} byte${bytes - MAX_VALUE_BYTES === 1 ? "" : "s"} over the 48 KiB limit (${MAX_VALUE_BYTES.toLocaleString("en")} bytes); ` +
        `write large data with ctx.tables.write instead`,
    );
  }
  return text;
}

function findProblem(value: unknown, at: string, seen: Set<object>): string | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : `${at} is ${value}, which JSON cannot represent`;
    case "object":
      break;
    default:
      return `${at} is ${typeof value === "undefined" ? "undefined" : `a ${typeof value}`}`;
  }
  if (value === null) return undefined;
  if (seen.has(value)) return `${at} refers back to itself (a cycle)`;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const p = findProblem(value[i], `${at}[${i}]`, seen);
        if (p) return p;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto !== Object.prototype && proto !== null) {
      const kind = (value as { constructor?: { name?: string } }).constructor?.name || "object";
      const hint = value instanceof Date ? " (use .toISOString())" : value instanceof Map ? " (use Object.fromEntries(map))" : "";
      return `${at} is a ${kind}${hint}; only plain objects, arrays, strings, finite numbers, booleans and null are JSON`;
    }
    for (const [key, item] of Object.entries(value)) {
      const p = findProblem(item, `${at}${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`, seen);
      if (p) return p;
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}

/** An error as the parent records it: name, message and stack (with its causes). */
export function describeError(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error) {
    let stack = error.stack;
    for (let cause = error.cause, depth = 0; cause !== undefined && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
      stack = `${stack ?? ""}\nCaused by: ${cause instanceof Error ? (cause.stack ?? String(cause)) : safeString(cause)}`;
      if (!(cause instanceof Error)) break;
    }
    return stack === undefined ? { name: error.name, message: error.message } : { name: error.name, message: error.message, stack };
  }
  const name = typeof error === "object" && error !== null ? ((error as object).constructor?.name ?? "Object") : typeof error;
  return { name, message: `a non-Error value was thrown: ${safeString(error)}` };
}

function safeString(value: unknown): string {
  try {
    return typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}
