/**
 * One Teams server for bench/teams-load.ts, run in its own process so that server and load generator
 * do not share an event loop:
 *
 *   node --expose-gc --import tsx bench/teams-server.ts <ours|bare>
 *
 * - `ours`: the real bot, `startBot()` without a MicrosoftAppId, in Teams' local mode (TEAMS_AUTH=none:
 *   no token checks, loopback only): NODE_ENV production, LOG_LEVEL info, the digest on with its store in memory
 *   (DATABASE_PATH ':memory:'), PLAYGROUND off, Slack off. The literature APIs point at the load
 *   generator's stand-in, so nothing can leave the machine (nothing calls them without subscriptions).
 * - `bare`: scenario 3 of shared/reference/framework-floor.md: Express 5 with `app.use(express.json())`,
 *   `CloudAdapter(new ConfigurationBotFrameworkAuthentication({}))`, and an `ActivityHandler` whose
 *   `onMessage` replies with a constant text.
 *
 * Replies go to the activity's serviceUrl, the load generator's connector stand-in. BENCH_STANDIN_URL
 * is that stand-in's origin. The protocol with the parent is bench/lib/server.ts: line-based JSON on
 * stdout, logs on stderr; the server exits when stdin closes or on SIGTERM.
 */
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import express from 'express';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { startBot } from '../src/main.ts';
import { listenOnLoopback, type RunningServer, serveBenchProtocol } from './lib/server.ts';

const CONSTANT_TEXT = 'HER2 bot: ok';

const mode = process.argv[2];
const standIn = process.env.BENCH_STANDIN_URL;
if (!standIn || !['ours', 'bare'].includes(mode ?? '')) {
  process.stderr.write('usage: BENCH_STANDIN_URL=http://127.0.0.1:N teams-server.ts <ours|bare>\n');
  process.exit(2);
}

async function startOurs(): Promise<RunningServer> {
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATABASE_PATH: ':memory:',
    PLAYGROUND: 'off',
    PORT: '0',
    HOST: '127.0.0.1',
    TEAMS_AUTH: 'none',
    PUBMED_BASE_URL: `${standIn}/pubmed/`,
    CTGOV_BASE_URL: `${standIn}/ctgov/`,
    EUROPEPMC_BASE_URL: `${standIn}/europepmc/`,
  });
  // Production logging (level info, buffered as in production), to stderr: stdout is the protocol.
  const logger = createLogger({ level: config.logLevel, fd: 2 });
  const bot = await startBot(config, { logger });
  return { port: bot.port, close: () => bot.close() };
}

async function startBare(): Promise<RunningServer> {
  const app = express();
  app.use(express.json());
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (ctx, next) => {
    await ctx.sendActivity(CONSTANT_TEXT);
    await next();
  });
  app.post('/api/messages', (req, res) => adapter.process(req, res, (ctx) => bot.run(ctx)));
  return listenOnLoopback(app);
}

const running = mode === 'ours' ? await startOurs() : await startBare();
serveBenchProtocol(running, mode!);
