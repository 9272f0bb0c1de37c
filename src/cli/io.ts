/** What a CLI command may touch, injected so tests can run commands in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Standard input as lines (for `ask --batch`). */
  lines(): AsyncIterable<string>;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  async *lines() {
    const { createInterface } = await import('node:readline');
    const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of rl) yield line;
  },
};

/** A usage error: the command prints the message and its usage, and exits with status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
