/**
 * One bot replica for the multi-process tests and bench/replicas.ts: the real composition root
 * (`startBot`) and the real shutdown path (`serveUntilSignalled`, as `her2bot serve` runs it), with
 * Slack in HTTP mode against a loopback stand-in and one literature source read over HTTP from the
 * stand-in through the bot's own client. Everything else comes from the environment, as in
 * production: DATABASE_URL, SLACK_API_URL, DIGEST_LEASE_SECONDS, SHUTDOWN_GRACE_SECONDS, …
 *
 *   REPLICA_LITERATURE_URL=http://127.0.0.1:N/literature DATABASE_URL=postgres://… \
 *     node --import tsx test/helpers/replica-process.ts
 *
 * Prints `{"ready":true,"port":N}` on stdout once listening; logs (JSON) go to stderr.
 */
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { fetchText } from '../../src/digest/http.ts';
import type { DigestWindow, LiteratureItem, LiteratureSource } from '../../src/digest/sources/types.ts';
import { createLogger } from '../../src/logger.ts';
import { serveUntilSignalled, startBot } from '../../src/main.ts';

const literatureUrl = process.env.REPLICA_LITERATURE_URL;
if (!literatureUrl) {
  process.stderr.write('usage: REPLICA_LITERATURE_URL=http://127.0.0.1:N/literature replica-process.ts\n');
  process.exit(2);
}

/** The stand-in's papers for a window, through the same fetchText every real source uses. */
class StandInLiterature implements LiteratureSource {
  readonly name = 'pubmed' as const;
  async fetch(window: DigestWindow): Promise<LiteratureItem[]> {
    const body = await fetchText(`${literatureUrl}?since=${window.since}&until=${window.until}`, {
      timeoutMs: 5000,
      retry: { retries: 2, baseDelayMs: 100, maxDelayMs: 500 },
    });
    return JSON.parse(body) as LiteratureItem[];
  }
}

const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, destination: pino.destination(2) });
const bot = await startBot(config, { logger, slackRetries: 0, digestSources: [new StandInLiterature()] });
process.stdout.write(`${JSON.stringify({ ready: true, port: bot.port })}\n`);
await serveUntilSignalled(bot, logger);
process.exit(0);
