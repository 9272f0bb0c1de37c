/**
 * The composition root: configuration, core, store and digest, surfaces, server. `npm start` and
 * `her2bot serve` run `main()`; tests call `startBot()` with their own configuration and port 0.
 */
// Each surface's module and SDK (Bolt, the Slack Web API, botbuilder) is imported only when the
// surface is configured, so a server without Slack never loads Bolt.
import type { SlackSurface } from '../handlers/slack/app.ts';
import type { TeamsSurface, TeamsSurfaceOptions } from '../handlers/teams/surface.ts';
import { type Config, ConfigError, databaseLocation, loadConfig, readEnvironment } from './config.ts';
import { DigestChat } from './conversation/digest-chat.ts';
import { Core } from './core.ts';
import { CurationDesk } from './curation/desk.ts';
import { DigestPosters } from './digest/posting.ts';
import { type Delivery, DigestScheduler } from './digest/scheduler.ts';
import { DigestService } from './digest/service.ts';
import type { LiteratureSource } from './digest/sources/types.ts';
import { ExportDesk } from './export/desk.ts';
import { mountExportRoute } from './export/route.ts';
import { ExportLinkSigner } from './export/signed-links.ts';
import { FeedbackDesk } from './feedback/desk.ts';
import { isLoopbackHost } from './http/loopback.ts';
import { mountPages } from './http/pages.ts';
import { createHttpServer, ListenError } from './http/server.ts';
import { SealedInstalls } from './installs/sealed-installs.ts';
import { workspaces } from './installs/workspace-lifecycle.ts';
import { KnowledgeError } from './knowledge/load.ts';
import { createLogger, keepAddressInLogs, type Logger } from './logger.ts';
import { playgroundDigest } from './playground/digest.ts';
import { mountPlayground } from './playground/routes.ts';
import { faultCounts, guardProcess } from './runtime/faults.ts';
import { StartupError } from './runtime/startup-error.ts';
import { databaseHealth } from './store/health.ts';
import { openStore, type Store, StoreError } from './store/store.ts';
import { parseSealingKey, SealedBox } from './util/sealed-box.ts';
import { VERSION } from './version.ts';

export interface RunningBot {
  url: string;
  port: number;
  core: Core;
  slack: SlackSurface | undefined;
  /** Off without credentials, unless TEAMS_AUTH=none asks for the local mode. */
  teams: TeamsSurface | undefined;
  store: Store | undefined;
  scheduler: DigestScheduler | undefined;
  /** Resolves when digests missed while the bot was down have been caught up (in the background). */
  caughtUp: Promise<Delivery[]>;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Web API retries for Slack (tests lower them). */
  slackRetries?: number;
  /** Bot Framework test doubles (a local OpenID endpoint, a credentials factory). */
  teams?: TeamsSurfaceOptions;
  /** Literature sources (tests pass stand-ins); by default those configured. */
  digestSources?: LiteratureSource[];
  /** The digest's clock (tests). */
  now?: () => Date;
  /** Waits before a failed digest slot is retried (tests and the soak shorten them). */
  digestRetryDelaysMs?: readonly number[];
}

export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  keepAddressInLogs(config.server.host);
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const core = await Core.open({ knowledgeDir: config.knowledgeDir, logger });
  const surfaces: Record<string, string> = {
    slack: config.slack ? config.slack.mode : 'off',
    teams: config.teams.mode,
    digest: config.digest.enabled ? config.digest.sources.join(',') : 'off',
    playground: config.playground ? 'on' : 'off',
  };
  // The store: for the digest, OAuth installs, and Slack's retry and replay records when replicas
  // share PostgreSQL.
  const store =
    config.digest.enabled || config.slack?.oauth || config.databaseUrl
      ? await openStore(databaseLocation(config), { logger, ...(options.now ? { now: options.now } : {}) })
      : undefined;
  const http = createHttpServer(logger, async () => ({
    status: 'ok',
    version: VERSION,
    ...(config.server.healthDetails
      ? {
          details: {
            knowledgeBase: { version: core.kb.version, date: core.kb.versionDate },
            surfaces,
            faults: faultCounts(),
            ...(store ? { database: await databaseHealth(store) } : {}),
          },
        }
      : {}),
  }));

  mountPages(http.web);

  // The digest: posters are registered once the surfaces exist (they need each other).
  const posters = new DigestPosters();
  let scheduler: DigestScheduler | undefined;
  let service: DigestService | undefined;
  let chat: DigestChat | undefined;
  let feedback: FeedbackDesk | undefined;
  let curation: CurationDesk | undefined;
  let exports: ExportDesk | undefined;
  const installs = store && (await slackInstalls(config, store, logger));
  if (store && config.digest.enabled) {
    service = new DigestService(core, config.digest, {
      logger,
      ...(options.digestSources ? { sources: options.digestSources } : {}),
    });
    scheduler = new DigestScheduler({
      store,
      service,
      posters,
      logger,
      ...(options.now ? { now: options.now } : {}),
      ...(options.digestRetryDelaysMs ? { retryDelaysMs: options.digestRetryDelaysMs } : {}),
      leaseMs: config.digest.leaseMs,
    });
    chat = new DigestChat(core, store, service, scheduler, { logger, ...(options.now ? { now: options.now } : {}) });
    feedback = new FeedbackDesk(core, store, { logger });
    curation = new CurationDesk(store, new Set(config.curators), { logger });
    const { baseUrl, secret, off } = config.exportLinks;
    exports = new ExportDesk(core, store, {
      links: baseUrl && secret ? new ExportLinkSigner(secret, baseUrl) : undefined,
      linksOff: off,
      logger,
      ...(options.now ? { now: options.now } : {}),
    });
    if (exports.linksOn) mountExportRoute(http.web, exports);
  }
  let slack: SlackSurface | undefined;
  if (config.slack) {
    const { createSlackSurface } = await import('../handlers/slack/app.ts');
    slack = createSlackSurface(
      config.slack,
      http.web,
      {
        core,
        logger,
        digest: chat,
        feedback,
        curation,
        exports,
        workspaces: store && workspaces(store, installs),
        // One database for several replicas: a retry or replay is recognised whichever replica it reaches.
        ...(store?.dialect === 'postgres' ? { deliveries: store.deliveries } : {}),
      },
      { retries: options.slackRetries, installs },
    );
    await slack.start();
    logger.info(
      { mode: config.slack.mode, installs: config.slack.oauth ? 'oauth' : 'token' },
      `Slack is on (${config.slack.mode === 'socket' ? 'Socket Mode' : 'HTTP at /slack/events'}${config.slack.oauth ? ', workspaces install at /slack/install' : ''})`,
    );
  } else {
    logger.info(
      'Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to enable it (or SLACK_CLIENT_ID for installs in several workspaces)',
    );
  }

  const teams =
    config.teams.mode === 'off'
      ? undefined
      : (await import('../handlers/teams/surface.ts')).createTeamsSurface(
          config.teams,
          http.web,
          { core, logger, digest: chat, feedback, curation, exports, conversations: store?.conversations },
          options.teams,
        );
  if (store) await registerDigestPosters(posters, config, { core, logger, store }, { slack, teams, installs });
  if (config.teams.mode === 'local') {
    logger.warn(
      'Teams is on WITHOUT authentication (TEAMS_AUTH=none, /api/messages): loopback callers and loopback serviceUrls only, nothing is stored; for local tools such as the Bot Framework Emulator',
    );
  } else if (config.teams.mode === 'authenticated') {
    logger.info('Teams is on (authenticated, /api/messages)');
  }
  if (teams && exports && !exports.linksOn) {
    logger.info(`Teams "Export this week" download links are off: ${config.exportLinks.off}`);
  } else {
    logger.info(
      'Teams is off: set MicrosoftAppId and MicrosoftAppPassword to enable it (TEAMS_AUTH=none for local tools)',
    );
  }

  if (config.playground) {
    mountPlayground(http.web, { core, logger, digest: service && playgroundDigest(core, service) });
  }

  const address = await http.listen(config.server.port, config.server.host);
  logger.info({ url: address.url, kb: core.kb.version }, `her2-bot listening on ${address.url}`);
  if (config.playground) logger.info(`Playground: open ${address.url}/ in a browser`);
  if (config.playground && !isLoopbackHost(config.server.host)) {
    logger.warn(
      { host: config.server.host },
      `the playground is served on HOST=${config.server.host}: anyone who reaches this port can use it; set HOST=127.0.0.1 or PLAYGROUND=off`,
    );
  }
  // Catching up fetches from the literature sources: it runs in the background, so the server
  // answers at once even when those sources are slow or unreachable.
  const caughtUp: Promise<Delivery[]> = scheduler
    ? scheduler.start().then(
        (caught) => {
          logger.info({ caughtUp: caught.length }, 'digest scheduler started');
          return caught;
        },
        (err: unknown) => {
          logger.error({ err }, 'digest catch-up failed');
          return [];
        },
      )
    : Promise.resolve([]);

  return {
    url: address.url,
    port: address.port,
    core,
    slack,
    teams,
    store,
    scheduler,
    caughtUp,
    /**
     * Graceful: stop taking requests and digests, let what is in progress finish (up to the grace
     * period; unfinished digests give their claims back to the other replicas), then close the pool.
     */
    async close() {
      const grace = config.server.shutdownGraceMs;
      const served = http.close(grace);
      const drained = scheduler ? await scheduler.drain(grace) : { finished: 0, released: 0 };
      if (drained.finished + drained.released > 0) logger.info(drained, 'digests in progress at shutdown');
      await caughtUp;
      await served;
      await slack?.stop();
      await store?.close();
    },
  };
}

/**
 * The digest posters of every configured surface, in the registry the scheduler and the CLI share.
 * The server passes its running surfaces; the CLI runs none, so it gets a Web API client for Slack
 * and a Teams adapter that only posts.
 */
export async function registerDigestPosters(
  posters: DigestPosters,
  config: Config,
  { core, logger, store }: { core: Core; logger: Logger; store: Store },
  running: {
    slack?: SlackSurface | undefined;
    teams?: TeamsSurface | undefined;
    installs?: SealedInstalls | undefined;
  } = {},
): Promise<DigestPosters> {
  if (config.slack) {
    const [{ SlackDigestPoster }, clients] = await Promise.all([
      import('../handlers/slack/digest-poster.ts'),
      import('../handlers/slack/workspace-clients.ts'),
    ]);
    const installs = running.installs ?? (await slackInstalls(config, store, logger));
    const perChannel = installs
      ? clients.installedWorkspaceClients(installs, {
          slackApiUrl: config.slack.apiUrl,
          retryConfig: SLACK_DIGEST_RETRIES,
        })
      : clients.singleWorkspaceClient(running.slack?.app.client ?? (await slackWebClient(config.slack)));
    posters.register(new SlackDigestPoster(perChannel, core, logger));
  }
  const teams =
    running.teams ??
    (config.teams.mode === 'authenticated' ? await postingTeamsSurface(config, core, logger) : undefined);
  if (teams) {
    const { TeamsDigestPoster } = await import('../handlers/teams/digest-poster.ts');
    posters.register(new TeamsDigestPoster(teams, store.conversations, core));
  }
  return posters;
}

// Bounded retries (the WebClient's default retries for about 30 minutes): a digest post must end
// well within the digest claim's lease.
const SLACK_DIGEST_RETRIES = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 10_000 };

async function slackWebClient(slack: NonNullable<Config['slack']>) {
  const { WebClient } = await import('@slack/web-api');
  return new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: SLACK_DIGEST_RETRIES });
}

/**
 * The Slack workspaces' OAuth installs, sealed with SLACK_TOKEN_ENCRYPTION_KEY; undefined with a single
 * bot token. Installs still sealed under an older key (SLACK_TOKEN_ENCRYPTION_OLD_KEYS) are sealed again
 * under the current one here, so after a rotation the old key can go once the log says none is left.
 */
async function slackInstalls(config: Config, store: Store, logger: Logger): Promise<SealedInstalls | undefined> {
  const oauth = config.slack?.oauth;
  if (!oauth) return undefined;
  const box = new SealedBox(
    parseSealingKey(oauth.tokenKeys.current, 'SLACK_TOKEN_ENCRYPTION_KEY'),
    oauth.tokenKeys.older.map((k) => parseSealingKey(k, 'SLACK_TOKEN_ENCRYPTION_OLD_KEYS')),
  );
  const installs = new SealedInstalls(store.installations, box);
  const { resealed, unreadable } = await installs.resealAll(logger);
  if (resealed > 0 || unreadable > 0 || oauth.tokenKeys.older.length > 0) {
    logger.info(
      { resealed, unreadable, key: box.currentKeyId },
      `Slack installs: ${resealed} sealed again under the current key, ${unreadable} unreadable, ${(await store.installations.sealedWithOtherKey(box.currentKeyId)).length} still under older keys`,
    );
  }
  return installs;
}

/** A Teams adapter that only posts (the CLI serves no /api/messages). */
async function postingTeamsSurface(config: Config, core: Core, logger: Logger): Promise<TeamsSurface> {
  const [{ default: express }, { createTeamsSurface }] = await Promise.all([
    import('express'),
    import('../handlers/teams/surface.ts'),
  ]);
  return createTeamsSurface(config.teams, express(), { core, logger });
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
  guardProcess(logger);
  let bot: RunningBot;
  try {
    bot = await startBot(config, { logger });
  } catch (err) {
    // Problems the message explains in full (which setting, which fix) need no stack trace.
    if (err instanceof KnowledgeError || err instanceof ListenError || err instanceof StartupError)
      logger.fatal(err.message);
    else if (err instanceof StoreError && err.code !== 'invalid_argument') logger.fatal(err.message);
    else logger.fatal({ err }, (err as Error).message);
    return 1;
  }
  await serveUntilSignalled(bot, logger);
  return 0;
}

/**
 * Serves until SIGINT or SIGTERM, then shuts down gracefully (RunningBot.close): a rolling restart
 * or a scale-down loses nothing and posts nothing twice.
 */
export async function serveUntilSignalled(bot: RunningBot, logger: Logger): Promise<void> {
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await bot.close();
  logger.info('stopped');
}
