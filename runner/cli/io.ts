/** Where a command writes and what it sees of its process; swapped in tests. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether stdout is an interactive terminal (enables code frames and colour). */
  isTTY: boolean;
}

/** The real process's streams and environment. */
export function processIo(): Io {
  // A reader that goes away (`dagship runs | head -1`) must not crash the command, let alone a
  // run in progress: once stdout is closed, what is left to print is dropped.
  let closed = false;
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    closed = true;
  });
  return {
    stdout: (t) => {
      if (!closed) process.stdout.write(t);
    },
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
  };
}
