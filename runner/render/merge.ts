type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Deep-merges an environment's job override into a job, as Databricks Asset Bundles merge
 * targets: objects merge key by key, `tasks` merge by `task_key` (an unknown key adds the task),
 * `parameters` merge by `name`, and any other value (arrays included) is replaced.
 *
 * @example
 * ```ts
 * mergeJob({ tasks: [{ task_key: "a", max_retries: 0 }] }, { tasks: [{ task_key: "a", max_retries: 3 }] });
 * // → { tasks: [{ task_key: "a", max_retries: 3 }] }
 * ```
 */
export function mergeJob(job: Json, override: Json): Json {
  return merge(job, override, "");
}

function merge(base: Json, over: Json, key: string): Json {
  if (key === "tasks" && Array.isArray(base) && Array.isArray(over)) return mergeBy(base, over, "task_key");
  if (key === "parameters" && Array.isArray(base) && Array.isArray(over)) return mergeBy(base, over, "name");
  if (isObject(base) && isObject(over)) {
    const out: Record<string, Json> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? merge(base[k], v, k) : v;
    return out;
  }
  return over;
}

function mergeBy(base: Json[], over: Json[], id: string): Json[] {
  const out = [...base];
  for (const item of over) {
    const at = isObject(item) ? out.findIndex((b) => isObject(b) && b[id] === item[id]) : -1;
    if (at === -1) out.push(item);
    else out[at] = merge(out[at], item, "");
  }
  return out;
}
