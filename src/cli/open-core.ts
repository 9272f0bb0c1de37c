/** Opens the core for a CLI command; says on stderr when the search index had to be rebuilt. */
import { Core } from '../core.ts';
import type { OpenLog } from '../logger.ts';
import type { CliIo } from './io.ts';

export async function openCore(io: CliIo, knowledgeDir?: string): Promise<Core> {
  return Core.open({ knowledgeDir, logger: stderrLog(io) });
}

/** Warnings as one plain line each ("her2bot: search index is out of date… (reason)"); debug is dropped. */
function stderrLog(io: CliIo): OpenLog {
  return {
    debug: () => {},
    warn: (...args: unknown[]) => {
      const [first, second] = args;
      const fields = typeof first === 'object' && first !== null ? (first as { reason?: unknown }) : {};
      const message = typeof first === 'string' ? first : String(second ?? '');
      io.err(`her2bot: ${message}${typeof fields.reason === 'string' ? ` (${fields.reason})` : ''}`);
    },
  };
}
