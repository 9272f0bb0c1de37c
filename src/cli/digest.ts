/**
 * `her2bot digest`: computes a literature digest now. With `--dry-run` it fetches and prints, and
 * posts and records nothing; without it, it delivers to every subscribed channel now, through the same
 * claim-post-record path as the daily schedule (so nothing is posted twice).
 */
import { parseArgs } from 'node:util';
import { kbStamp } from '../answer/answer.ts';
import { renderAnswer } from '../cards/render.ts';
import { type Config, databaseLocation, loadConfig, readEnvironment } from '../config.ts';
import type { Core } from '../core.ts';
import type { Digest } from '../digest/compose.ts';
import { DigestPosters } from '../digest/posting.ts';
import { DigestScheduler } from '../digest/scheduler.ts';
import { addDays, DigestService, FIRST_DIGEST_DAYS } from '../digest/service.ts';
import { createLogger } from '../logger.ts';
import { openStore } from '../store/store.ts';
import { type CliIo, UsageError } from './io.ts';
import { openCore } from './open-core.ts';

export const digestUsage = `Usage:
  her2bot digest [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--topic NAME]… [--dry-run]
                 [--format text|slack|teams|json] [--all]

  --dry-run   fetch and print; post nothing, record nothing
  --topic     a mechanism or agent name (e.g. pi3k, T-DM1); repeat for several
  --all       print every item, not only the top of each group
  Without --dry-run the digest is delivered now to every subscribed channel (DATABASE_PATH),
  through Slack and Teams as configured in .env.
  her2bot digest export --channel KEY --since YYYY-MM-DD [--format csv|ris|bibtex] [--out FILE]
              what a channel was shown, for Zotero, EndNote or a spreadsheet`;

const FORMATS = ['text', 'slack', 'teams', 'json'] as const;

export async function digestCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] === 'export') {
    const { digestExportCommand } = await import('./digest-export.ts');
    return digestExportCommand(args.slice(1), io);
  }
  const { values } = parseArgs({
    args,
    options: {
      since: { type: 'string' },
      until: { type: 'string' },
      topic: { type: 'string', multiple: true },
      'dry-run': { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
      all: { type: 'boolean', default: false },
    },
  });
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${values.format}'`);
  const config = loadConfig(readEnvironment());
  const core = await openCore(io);
  const logger = createLogger({ level: 'warn', destination: { write: (line: string) => io.err(line.trim()) } });
  const service = new DigestService(core, config.digest, { logger });

  if (!values['dry-run']) return deliverNow(config, core, service, io);

  const until = values.until ?? new Date().toISOString().slice(0, 10);
  const since = values.since ?? addDays(until, -FIRST_DIGEST_DAYS);
  for (const d of [since, until])
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new UsageError(`dates are YYYY-MM-DD (got ${d})`);
  if (since > until) throw new UsageError('--since must not be after --until');
  const topics = (values.topic ?? []).map((t) => {
    const id = service.resolveTopic(t);
    if (!id) throw new UsageError(`'${t}' matches no mechanism or agent`);
    return id;
  });

  const digest = await service.compute({ since, until }, { topics });
  if (format === 'json') {
    io.out(JSON.stringify(digestJson(digest), null, 2));
  } else {
    const rendered = renderAnswer(
      { type: 'digest', digest, all: values.all, title: 'Digest dry run (nothing is posted)', kb: kbStamp(core.kb) },
      format,
      core.kb,
    );
    io.out(typeof rendered === 'string' ? rendered : JSON.stringify(rendered, null, 2));
  }
  return digest.sources.every((s) => s.status === 'ok') ? 0 : 3;
}

/** The `--format json` shape: window, sources with status, items with their tags. */
export function digestJson(digest: Digest) {
  return {
    window: digest.window,
    sources: digest.sources,
    items: digest.items.map((d) => ({
      source: d.item.source,
      id: d.item.id,
      title: d.item.title,
      url: d.item.url,
      date: d.item.date,
      mechanisms: d.mechanisms,
      agents: d.agents,
      tier: d.tier,
      score: d.score,
      ...(d.kbEvidence ? { kbEvidence: d.kbEvidence } : {}),
    })),
  };
}

async function deliverNow(config: Config, core: Core, service: DigestService, io: CliIo): Promise<number> {
  const logger = createLogger({
    level: config.logLevel === 'info' ? 'warn' : config.logLevel,
    destination: { write: (line: string) => io.err(line.trim()) },
  });
  const store = await openStore(databaseLocation(config), { logger });
  try {
    // The composition root knows the surfaces; it is loaded only when something is to be posted.
    const { registerDigestPosters } = await import('../main.ts');
    const posters = await registerDigestPosters(new DigestPosters(), config, { core, logger, store });
    const scheduler = new DigestScheduler({ store, service, posters, logger });
    const subscriptions = await store.subscriptions.listActive();
    if (subscriptions.length === 0) {
      io.out(
        `No channel subscribes to the digest in ${store.location}; nothing posted. Use --dry-run to see a digest.`,
      );
      return 0;
    }
    let failed = 0;
    for (const sub of subscriptions) {
      // Today's slot of the channel's schedule: the same claim the server makes, so only one posts.
      const outcome = await scheduler.delivery.deliver(sub.channelKey, scheduler.slotOfDay(sub));
      if (outcome.status === 'failed') failed++;
      io.out(
        `${sub.channelKey}: ${outcome.status}${'items' in outcome ? ` (${outcome.items} items)` : ''}${'reason' in outcome ? ` (${outcome.reason})` : ''}${'error' in outcome ? ` (${outcome.error})` : ''}`,
      );
    }
    return failed > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}
