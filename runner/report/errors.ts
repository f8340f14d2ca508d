/** Typed errors of the run report and the run browser (DS2040–DS2049). */
import { DagshipError } from "../errors.js";

/**
 * The report cannot be written where it was asked to go (DS2040, exit 2): its folder does not
 * exist, it is a folder, or it may not be written. `file` is the path, `reason` the system's code.
 *
 * @example
 * ```ts
 * throw new ReportWriteError("/nope/report.html", "ENOENT");
 * ```
 */
export class ReportWriteError extends DagshipError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super("DS2040", `cannot write the report to ${file}: ${reason}`, { exitCode: 2, hint: "give --html a file in a folder that exists and that you may write to" });
  }
}

/**
 * The report page's script or style sheet are missing and cannot be built (DS2041, exit 1): a
 * dagship installation without `dist/pages/` and without the sources to bundle them from.
 *
 * @example
 * ```ts
 * throw new ReportAssetsError("report", "dist/pages/report.js is missing");
 * ```
 */
export class ReportAssetsError extends DagshipError {
  constructor(
    readonly page: string,
    readonly reason: string,
  ) {
    super("DS2041", `the ${page} page cannot be built: ${reason}`, { hint: "reinstall dagship, or run npm run build in a dagship checkout" });
  }
}

/**
 * `dagship ui` cannot listen where it was asked to (DS2042, exit 2): the port is in use, a port
 * below 1024 needs privileges, or the host is not an address of this machine.
 *
 * @example
 * ```ts
 * throw new UiListenError("127.0.0.1", 8080, "EADDRINUSE");
 * ```
 */
export class UiListenError extends DagshipError {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly reason: string,
  ) {
    super("DS2042", `cannot listen on ${host}:${port}: ${reason}`, { exitCode: 2, hint: reason === "EADDRINUSE" ? "another program uses the port: pick another with --port, or --port 0 for any free one" : "check --host and --port" });
  }
}
