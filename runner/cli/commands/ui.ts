import { UsageError } from "../../errors.js";
import { parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { environmentOf } from "./common.js";

/** Default port of `dagship ui`. */
export const DEFAULT_PORT = 4770;

/** `dagship ui`: a local server listing the environment's runs, each linking to its report; stops on SIGINT or SIGTERM. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("ui", argv, { env: { type: "string" }, port: { type: "string" }, host: { type: "string" } });
  if (positionals.length > 0) throw new UsageError(`dagship ui takes no arguments, got "${positionals[0]}"`, { hint: "run: dagship ui --help" });
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, got "${String(values.port)}"`, { hint: "--port 0 picks any free port" });
  const host = typeof values.host === "string" && values.host !== "" ? values.host : "127.0.0.1";
  const env = environmentOf(values, io);
  const { isLoopback, startUi } = await import("../../ui/server.js");
  const ui = await startUi({ env, host, port });
  if (!isLoopback(host)) io.stderr(`dagship ui: warning: listening on ${host}, not a loopback address: anyone who can reach it can read the runs of ${env.name} (their logs and values, secrets masked)\n`);
  if (values.json) io.stdout(JSON.stringify({ ok: true, url: ui.url, env: env.name }) + "\n");
  else io.stdout(`dagship ui: the runs of ${env.name} at ${ui.url} (Ctrl-C stops)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await ui.close();
  if (!values.json) io.stdout("dagship ui: stopped\n");
  return 0;
}
