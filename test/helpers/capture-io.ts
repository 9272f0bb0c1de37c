/** A CliIo that records output and replays given input lines. */
import type { CliIo } from '../../src/cli/io.ts';

export function captureIo(input: string[] = []): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    async *lines() {
      yield* input;
    },
  };
}
