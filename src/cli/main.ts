/**
 * The `her2bot` command line: one small module per command, dispatched here. Each command returns its
 * exit status; a UsageError prints the command's usage and exits with 2.
 */

import { askCommand, askUsage } from './ask.ts';
import { digestCommand, digestUsage } from './digest.ts';
import { evalCommand, evalUsage } from './eval.ts';
import { indexCommand, indexUsage } from './index-cmd.ts';
import { type CliIo, processIo, UsageError } from './io.ts';
import { kbCommand, kbUsage } from './kb.ts';
import { serveCommand, serveUsage } from './serve.ts';

interface Command {
  run(args: string[], io: CliIo): Promise<number>;
  usage: string;
  summary: string;
}

const commands: Record<string, Command> = {
  ask: { run: askCommand, usage: askUsage, summary: 'answer a question as the bot would (text, json, slack, teams)' },
  digest: {
    run: digestCommand,
    usage: digestUsage,
    summary: 'compute the literature digest now (--dry-run to only print)',
  },
  eval: {
    run: evalCommand,
    usage: evalUsage,
    summary: 'measure search relevance (a query set) or the digest classifier (eval digest)',
  },
  index: { run: indexCommand, usage: indexUsage, summary: 'build the search index' },
  kb: { run: kbCommand, usage: kbUsage, summary: 'inspect or lint the knowledge base' },
  serve: { run: serveCommand, usage: serveUsage, summary: 'run the bot: Slack, Teams and the playground on one port' },
};

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  return [
    'her2bot: trastuzumab resistance in HER2-positive breast cancer, from a curated knowledge base.',
    'Research use only, not medical advice.',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'her2bot <command> --help' for a command's options.",
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`her2bot: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`her2bot ${name}: ${(err as Error).message}\n\n${command.usage}`);
      return 2;
    }
    throw err;
  }
}
