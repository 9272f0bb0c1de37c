/** Opens the core for a CLI command; says on stderr when the search index had to be rebuilt. */
import { Core } from '../core.ts';
import { createLogger } from '../logger.ts';
import type { CliIo } from './io.ts';

export function openCore(io: CliIo, knowledgeDir?: string): Core {
  const logger = createLogger({
    level: 'warn',
    destination: { write: (line: string) => io.err(describeLogLine(line)) },
  });
  return Core.open({ knowledgeDir, logger });
}

function describeLogLine(line: string): string {
  try {
    const entry = JSON.parse(line) as { msg?: string; reason?: string };
    return `her2bot: ${entry.msg ?? line}${entry.reason ? ` (${entry.reason})` : ''}`;
  } catch {
    return line;
  }
}
