import { CLI, describeSample, FigureError, sample, timeSpawn, type Benchmark } from "../harness.js";

/**
 * cli_startup: wall time of `node bin/dagship.js --version` (start Node, load the CLI, print,
 * exit) against a bare `node -e 0` spawn. The ratio is what dagship's own start-up costs.
 */
export const cliStartup: Benchmark = {
  figures: ["cli_startup"],
  async run(ctx) {
    const floor = await ctx.nodeSpawn();
    const cli = await sample("cli_startup: dagship --version", ctx.sampling("fast"), () => {
      const r = timeSpawn([CLI, "--version"]);
      if (r.status !== 0 || !/^\d+\.\d+\.\d+/.test(r.stdout)) throw new FigureError(`dagship --version exited ${r.status ?? r.signal} printing ${JSON.stringify(r.stdout.slice(0, 80))}\n${r.stderr}`);
      return r.seconds;
    });
    return {
      cli_startup: {
        value: cli.median,
        unit: "s",
        floor: floor.median,
        ratio: cli.median / floor.median,
        notes: [`dagship --version: ${describeSample(cli)}`, `floor node -e 0: ${describeSample(floor)}`],
      },
    };
  },
};
