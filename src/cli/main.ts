/**
 * The `her2bot` command line: one small module per command, dispatched here. Each command returns its
 * exit status; a UsageError prints the command's usage and exits with 2.
 */

import { ConfigError } from '../config-error.ts';
import { type CliIo, processIo, UsageError } from './io.ts';

interface CommandModule {
  run(args: string[], io: CliIo): Promise<number>;
  usage: string;
}

/**
 * Each command's module is imported only when that command runs, so `ask` loads the search and the
 * cards but never the Slack, Teams, HTTP or SQLite code that `serve` and `digest` need.
 */
const commands: Record<string, { summary: string; load(): Promise<CommandModule> }> = {
  ask: {
    summary: 'answer a question as the bot would (text, json, slack, teams)',
    load: async () => import('./ask.ts').then((m) => ({ run: m.askCommand, usage: m.askUsage })),
  },
  curation: {
    summary: 'the curation queue: list, show, export accepted candidates as draft entries',
    load: async () => import('./curation.ts').then((m) => ({ run: m.curationCommand, usage: m.curationUsage })),
  },
  digest: {
    summary: 'compute the literature digest now (--dry-run to only print)',
    load: async () => import('./digest.ts').then((m) => ({ run: m.digestCommand, usage: m.digestUsage })),
  },
  eval: {
    summary: 'measure search relevance (a query set) or the digest classifier (eval digest)',
    load: async () => import('./eval.ts').then((m) => ({ run: m.evalCommand, usage: m.evalUsage })),
  },
  index: {
    summary: 'build the search index',
    load: async () => import('./index-cmd.ts').then((m) => ({ run: m.indexCommand, usage: m.indexUsage })),
  },
  kb: {
    summary: 'inspect or lint the knowledge base',
    load: async () => import('./kb.ts').then((m) => ({ run: m.kbCommand, usage: m.kbUsage })),
  },
  serve: {
    summary: 'run the bot: Slack, Teams and the playground on one port',
    load: async () => import('./serve.ts').then((m) => ({ run: m.serveCommand, usage: m.serveUsage })),
  },
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
  const entry = commands[name];
  if (!entry) {
    io.err(`her2bot: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
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
    // A setting that is wrong is the user's to fix: said plainly, as `serve` does, without a stack.
    if (err instanceof ConfigError) {
      io.err(`her2bot ${name}: ${err.message}\nSee .env.example for every setting.`);
      return 1;
    }
    throw err;
  }
}
