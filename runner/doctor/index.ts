/**
 * `dagship doctor`'s library: checks of a workspace, one per file, and {@link runDoctor}.
 */
export { CHECKS, runDoctor, STALE_MS, type DoctorOptions, type DoctorReport, type ReportedProblem } from "./doctor.js";
export { DOCTOR_CODES, type DoctorCheck, type DoctorContext, type Fix, type Problem } from "./types.js";
