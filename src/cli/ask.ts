/**
 * `her2bot ask <text…>`: exactly what the slash command would answer, in any surface's format.
 * `--batch` reads one query per line and writes one JSON object per line.
 */
import { parseArgs } from 'node:util';
import type { Answer } from '../answer/answer.ts';
import { FORMATS, type Format, renderAnswer } from '../cards/render.ts';
import { CLI_SYNTAX } from '../cards/text.ts';
import { parseCommand } from '../commands/parse.ts';
import type { DigestCommands } from '../conversation/digest-commands.ts';
import { replyTo } from '../conversation/reply.ts';
import type { Core } from '../core.ts';
import { withoutCuratorNotes } from '../knowledge/curator-notes.ts';
import type { ErrorLog } from '../logger.ts';
import { type CliIo, UsageError } from './io.ts';
import { openCore } from './open-core.ts';

export const askUsage = `Usage:
  her2bot ask <text…> [--format text|json|slack|teams]
  her2bot ask --batch [--format json]   one query per line on stdin, one JSON object per line out

  <text> is what a user types after /her2: a question, or help | mechanisms | agents | trials.`;

export async function askCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      format: { type: 'string', default: 'text' },
      batch: { type: 'boolean', default: false },
      dir: { type: 'string' },
    },
    allowPositionals: true,
  });
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${values.format}' (use ${FORMATS.join(', ')})`);
  const core = await openCore(io, values.dir);

  if (values.batch) {
    if (positionals.length > 0) throw new UsageError('--batch reads queries from stdin; give no query arguments');
    for await (const line of io.lines()) {
      if (line.trim() === '') continue;
      io.out(JSON.stringify(jsonAnswer(core, line), withoutCuratorNotes));
      await io.drained?.();
    }
    return 0;
  }
  const text = positionals.join(' ');
  if (format === 'json') {
    io.out(JSON.stringify(jsonAnswer(core, text), withoutCuratorNotes, 2));
    return 0;
  }
  const { answer } = await replyTo(text, CLI_PLACE, { core, logger: DISCARD, digest: digestHint(core) });
  const rendered = renderAnswer(answer, format, core.kb);
  io.out(typeof rendered === 'string' ? rendered : JSON.stringify(rendered, null, 2));
  return 0;
}

/** The answer is the output; `digest …` only points elsewhere, so nothing is logged (and pino never loads). */
const DISCARD: ErrorLog = { error: () => {} };

/** The command line has no conversation: `digest …` points at `her2bot digest`. */
const CLI_PLACE = { conversationKey: 'cli:local', userId: 'cli', syntax: CLI_SYNTAX };

function digestHint(core: Core): DigestCommands {
  return {
    handle: async () => ({
      answer: core.error('On the command line, `her2bot digest --dry-run` shows the next digest.'),
      private: true,
    }),
  };
}

export interface JsonAnswer {
  query: string;
  hits: { id: string; kind: string; title: string; score: number }[];
  answer: Answer;
}

/**
 * The JSON shape of `ask --format json`: hits best first with ids as in the knowledge base. The answer
 * comes through the core's answer cache, as the bot's would, so a batch that repeats a question pays
 * for its card once.
 */
export function jsonAnswer(core: Core, text: string): JsonAnswer {
  const command = parseCommand(text);
  const hits = command.type === 'search' ? core.search(command.query).hits : [];
  return { query: text, hits, answer: core.answer(text) };
}
