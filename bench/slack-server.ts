/**
 * One Slack server for bench/slack-load.ts, run in its own process so that server and load generator
 * do not share an event loop:
 *
 *   node --expose-gc --import tsx bench/slack-server.ts <ours|bare-ack|bare-respond>
 *
 * - `ours`: the real bot, `startBot()` with Slack on in HTTP mode (ExpressReceiver on our Express 5
 *   server), its Web API pointed at the load generator's loopback stand-in.
 * - `bare-ack`: a bare Bolt app on the same kind of receiver (ExpressReceiver, Express 5, same signing
 *   secret, same token check at start) whose `/her2` acknowledges a constant text.
 * - `bare-respond`: the same, but after the ack it calls `respond()` with a constant text (scenario 2
 *   of shared/reference/framework-floor.md).
 *
 * Settings come from BENCH_SIGNING_SECRET, BENCH_BOT_TOKEN and BENCH_API_URL. The protocol with the
 * parent is bench/lib/server.ts: line-based JSON on stdout (`{"ready":true,"port":N}`, heap readings),
 * logs on stderr; the server exits when stdin closes (the parent went away) or on SIGTERM.
 */
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import express from 'express';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { startBot } from '../src/main.ts';
import { listenOnLoopback, type RunningServer, serveBenchProtocol } from './lib/server.ts';

const CONSTANT_TEXT = 'HER2 bot: ok';

const mode = process.argv[2];
const signingSecret = process.env.BENCH_SIGNING_SECRET;
const token = process.env.BENCH_BOT_TOKEN;
const apiUrl = process.env.BENCH_API_URL;
if (!signingSecret || !token || !apiUrl || !['ours', 'bare-ack', 'bare-respond'].includes(mode ?? '')) {
  process.stderr.write('usage: BENCH_SIGNING_SECRET=… BENCH_BOT_TOKEN=… BENCH_API_URL=… slack-server.ts <mode>\n');
  process.exit(2);
}

async function startOurs(): Promise<RunningServer> {
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    SLACK_BOT_TOKEN: token,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: apiUrl,
    DATABASE_PATH: ':memory:',
    PORT: '0',
    HOST: '127.0.0.1',
  });
  // Production logging (level info: one line per interaction, buffered as in production), to stderr:
  // stdout is the protocol.
  const logger = createLogger({ level: config.logLevel, fd: 2 });
  const bot = await startBot(config, { logger });
  return { port: bot.port, close: () => bot.close() };
}

async function startBare(respondToo: boolean): Promise<RunningServer> {
  const web = express();
  const receiver = new ExpressReceiver({ signingSecret: signingSecret!, app: web, endpoints: '/slack/events' });
  const app = new App({
    receiver,
    token: token!,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: apiUrl! },
    deferInitialization: true,
  });
  app.command('/her2', async ({ ack, respond }) => {
    await ack({ response_type: 'ephemeral', text: CONSTANT_TEXT });
    if (respondToo) await respond({ response_type: 'ephemeral', text: CONSTANT_TEXT });
  });
  await app.init(); // auth.test once, as the real bot does
  return listenOnLoopback(web);
}

const running = mode === 'ours' ? await startOurs() : await startBare(mode === 'bare-respond');
serveBenchProtocol(running, mode!);
