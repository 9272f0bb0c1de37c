/**
 * The composition root: configuration, core, surfaces, server. `npm start` and `her2bot serve` run
 * `main()`; tests call `startBot()` with their own configuration and port 0.
 */
import { createSlackSurface, type SlackSurface } from '../handlers/slack/app.ts';
import { createTeamsSurface, type TeamsSurface, type TeamsSurfaceOptions } from '../handlers/teams/surface.ts';
import { type Config, ConfigError, loadConfig, readEnvironment } from './config.ts';
import { Core } from './core.ts';
import { createHttpServer } from './http/server.ts';
import { KnowledgeError } from './knowledge/load.ts';
import { createLogger, type Logger } from './logger.ts';
import { VERSION } from './version.ts';

export interface RunningBot {
  url: string;
  port: number;
  core: Core;
  slack: SlackSurface | undefined;
  teams: TeamsSurface;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Web API retries for Slack (tests lower them). */
  slackRetries?: number;
  /** Bot Framework test doubles (a local OpenID endpoint, a credentials factory). */
  teams?: TeamsSurfaceOptions;
}

export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const core = Core.open({ knowledgeDir: config.knowledgeDir, logger });
  const teamsSettings = config.teams ?? {
    appId: undefined,
    appPassword: undefined,
    appType: 'MultiTenant' as const,
    tenantId: undefined,
  };
  const surfaces: Record<string, string> = {
    slack: config.slack ? config.slack.mode : 'off',
    teams: teamsSettings.appId ? 'authenticated' : 'anonymous',
  };
  const http = createHttpServer(logger, () => ({
    status: 'ok',
    version: VERSION,
    knowledgeBase: { version: core.kb.version, date: core.kb.versionDate },
    surfaces,
  }));

  let slack: SlackSurface | undefined;
  if (config.slack) {
    slack = createSlackSurface(config.slack, http.web, { core, logger }, { retries: options.slackRetries });
    await slack.start();
    logger.info(
      { mode: config.slack.mode },
      `Slack is on (${config.slack.mode === 'socket' ? 'Socket Mode' : 'HTTP at /slack/events'})`,
    );
  } else {
    logger.info('Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to enable it');
  }

  const teams = createTeamsSurface(teamsSettings, http.web, { core, logger }, options.teams);
  if (teams.mode === 'anonymous') {
    logger.warn(
      'Teams endpoint /api/messages runs unauthenticated (no MicrosoftAppId): for local tools such as the Bot Framework Emulator or the Agents Playground only',
    );
  } else {
    logger.info('Teams is on (authenticated, /api/messages)');
  }

  const address = await http.listen(config.server.port, config.server.host);
  logger.info({ url: address.url, kb: core.kb.version }, `her2-bot listening on ${address.url}`);
  return {
    url: address.url,
    port: address.port,
    core,
    slack,
    teams,
    async close() {
      await slack?.stop();
      await http.close();
    },
  };
}

/** Runs the bot until SIGINT/SIGTERM; configuration problems are printed plainly, without a stack. */
export async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(readEnvironment());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every setting.\n`);
      return 1;
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  let bot: RunningBot;
  try {
    bot = await startBot(config, { logger });
  } catch (err) {
    if (err instanceof KnowledgeError) logger.fatal(err.message);
    else logger.fatal({ err }, (err as Error).message);
    return 1;
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await bot.close();
  return 0;
}
