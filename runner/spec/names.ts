/** Name patterns shared by the schemas and the rules (kept free of dependencies for start-up). */
export const JOB_NAME_PATTERN = "^[a-z0-9][a-z0-9_-]*$";
export const TASK_KEY_PATTERN = "^[A-Za-z0-9_-]+$";
