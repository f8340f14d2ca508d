/**
 * Every diagnostic code the job and environment validators emit. Codes are stable: a code
 * is never reused for another meaning. docs/errors.md documents each one (a test checks it).
 */
export const CODES = {
  DS1000: "the job has errors (summary of a failed compile)",
  DS1001: "invalid JSON or YAML syntax",
  DS1002: "value does not match the schema (type, format, range or allowed values)",
  DS1003: "unknown field",
  DS1004: "dependency on an unknown task",
  DS1005: "duplicate task key",
  DS1006: "dependency cycle",
  DS1007: "task depends on itself",
  DS1008: "`outcome` on a dependency that is not a condition_task",
  DS1009: "module path escapes the repository or is not a relative path",
  DS1010: "module file does not exist or is not a TypeScript or JavaScript module",
  DS1011: "module has no such export",
  DS1012: "invalid Quartz cron expression",
  DS1013: "unknown time zone",
  DS1014: "reference to an unknown job parameter",
  DS1015: "reference to an unknown task",
  DS1016: "reference to a task that is not upstream",
  DS1017: "missing required field",
  DS1018: "a task needs exactly one of ts_task, run_job_task, condition_task",
  DS1019: "duplicate key in an object",
  DS1020: "malformed or unknown `{{ }}` reference",
  DS1021: "duplicate job parameter name",
  DS1022: "run_job_task names an unknown job",
  DS1023: "run_job_task cycle between jobs",
  DS1024: "name does not match its folder (jobs) or file name (environments)",
  DS1025: "file is not valid UTF-8 text, is empty, or is too large",
  DS1026: "nesting too deep",
  DS1027: "module cannot be parsed",
  DS1028: "duplicate dependency",
  DS1029: "deploy-time template cannot be rendered for an environment (unknown name or helper, syntax, prototype access)",
  DS2001: "bad command-line usage",
  DS2002: "no such job, file or folder",
  DS2003: "file or folder cannot be read",
  DS2004: "unknown environment, or an environment file with errors",
  DS2005: "unknown job parameter, or a bad run option",
  DS2006: "no such run",
  DS2007: "run refused: too many concurrent runs, or nothing to take excluded tasks from",
  DS2008: "nothing to import: the file holds no job",
  DS9999: "internal error",
} as const;

/** A stable diagnostic code such as `DS1004`. */
export type Code = keyof typeof CODES;
