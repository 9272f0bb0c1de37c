/** A real logger (redaction, scrubbing) whose JSON lines the test can read back. */
import { createLogger, type Logger } from '../../src/logger.ts';

export interface CapturedLog {
  logger: Logger;
  lines: Record<string, unknown>[];
  /** The messages of every line, for `toContainEqual(expect.stringMatching(...))`. */
  messages(): string[];
}

export function captureLog(level = 'info'): CapturedLog {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, destination: { write: (l: string) => lines.push(JSON.parse(l)) } });
  return { logger, lines, messages: () => lines.map((l) => String(l.msg)) };
}
