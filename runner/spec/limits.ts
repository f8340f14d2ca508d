/**
 * Size limits of a job, shared by the schema (which reports them) and the compiler (which
 * skips the cross-checks of a job beyond them, so a huge file cannot exhaust time or memory).
 * Databricks allows at most 1000 tasks per job; dagship follows.
 */
export const MAX_TASKS = 1000;
export const MAX_PARAMETERS = 1000;
