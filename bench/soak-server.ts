/**
 * The bot under bench/soak.ts, in its own process (so its RSS is its own and a crash is a restart
 * the soak counts): `startBot()` with Slack in HTTP mode and Teams authenticated, both against the
 * soak's loopback stand-ins, the digest on with a SQLite file, and one literature source that reads
 * the soak's stand-in through the bot's own HTTP client (timeouts, retries with backoff).
 *
 *   SOAK_STANDIN_URL=http://127.0.0.1:N SOAK_DB=/tmp/x.db node --import tsx bench/soak-server.ts
 *
 * Protocol (bench/lib/server.ts): `{"ready":true,"port":N}` on stdout; logs (JSON, warn and up) on stderr.
 */
import { loadConfig } from '../src/config.ts';
import { fetchText } from '../src/digest/http.ts';
import type { DigestWindow, LiteratureItem, LiteratureSource } from '../src/digest/sources/types.ts';
import { createLogger } from '../src/logger.ts';
import { startBot } from '../src/main.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../test/helpers/slack.ts';
import { LocalCredentialsFactory } from '../test/helpers/teams.ts';
import { serveBenchProtocol } from './lib/server.ts';
import { SOAK_APP_ID } from './lib/soak-ids.ts';

const standIn = process.env.SOAK_STANDIN_URL;
const database = process.env.SOAK_DB;
if (!standIn || !database) {
  process.stderr.write('usage: SOAK_STANDIN_URL=http://127.0.0.1:N SOAK_DB=path soak-server.ts\n');
  process.exit(2);
}

/** Literature from the stand-in as JSON, through the same fetchText every real source uses. */
class StandInLiterature implements LiteratureSource {
  readonly name = 'pubmed' as const;
  async fetch(window: DigestWindow): Promise<LiteratureItem[]> {
    const body = await fetchText(`${standIn}/literature?since=${window.since}&until=${window.until}`, {
      timeoutMs: 1500,
      retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 1000 },
    });
    return JSON.parse(body) as LiteratureItem[];
  }
}

const config = loadConfig({
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  PORT: '0',
  HOST: '127.0.0.1',
  PLAYGROUND: 'off',
  DATABASE_PATH: database,
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: `${standIn}/slack/api/`,
  MicrosoftAppId: SOAK_APP_ID,
  MicrosoftAppPassword: 'soak-secret',
});
const logger = createLogger({ level: config.logLevel, fd: 2 });
const bot = await startBot(config, {
  logger,
  slackRetries: 3,
  digestSources: [new StandInLiterature()],
  digestRetryDelaysMs: [10_000, 20_000, 40_000],
  teams: {
    credentialsFactory: new LocalCredentialsFactory(SOAK_APP_ID),
    authSettings: {
      ToBotFromChannelOpenIdMetadataUrl: `${standIn}/openid`,
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      ToBotFromEmulatorOpenIdMetadataUrl: `${standIn}/openid`,
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      OAuthUrl: 'https://api.botframework.com',
      CallerId: 'urn:botframework:azure',
      ValidateAuthority: 'true',
    },
  },
});
serveBenchProtocol({ port: bot.port, close: () => bot.close() }, 'soak');
