/** What a CLI command may touch, injected so tests can run commands in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Standard input as lines (for `ask --batch`). */
  lines(): AsyncIterable<string>;
  /**
   * Resolves once what was written has been taken by the reader (a pipe's buffer is below its mark), so
   * a long `--batch` waits for a slow reader instead of holding all its output in memory.
   */
  drained?(): Promise<void>;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  async *lines() {
    const { createInterface } = await import('node:readline');
    const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of rl) yield line;
  },
  drained: () =>
    process.stdout.writableNeedDrain
      ? new Promise((resolve) => process.stdout.once('drain', resolve))
      : Promise.resolve(),
};

/** A usage error: the command prints the message and its usage, and exits with status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
