/** `her2bot serve` (and `npm start`): runs the bot's HTTP server until interrupted. */
import { main } from '../main.ts';
import type { CliIo } from './io.ts';

export const serveUsage = `Usage:
  her2bot serve   run the bot (Slack, Teams, playground) on PORT (default 3978); settings from .env`;

export async function serveCommand(args: string[], _io: CliIo): Promise<number> {
  if (args.length > 0)
    throw new Error(`her2bot serve takes no arguments (got ${args.join(' ')}); use environment variables`);
  return main();
}
