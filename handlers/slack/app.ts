/**
 * The Slack surface: a Bolt app in HTTP mode (its routes on our shared Express server, at
 * /slack/events) or in Socket Mode (no public URL needed). Listeners are registered by ./index.ts.
 */
import { App, ExpressReceiver } from '@slack/bolt';
import type { Express } from 'express';
import type { Config } from '../../src/config.ts';
import type { SealedInstalls } from '../../src/installs/sealed-installs.ts';
import { StartupError } from '../../src/runtime/startup-error.ts';
import { HTTP_RESPONSE } from './acks.ts';
import type { SlackDeps } from './deps.ts';
import { slackWorkspacePrefix } from './identity.ts';
import { register } from './index.ts';
import { installPages } from './install-pages.ts';
import { SlackInstallationStore } from './installation-store.ts';
import { boltLogger } from './logger.ts';
import { rejectFutureTimestamps } from './middleware/reject-future-timestamps.ts';
import { rejectReplays } from './middleware/reject-replays.ts';

export type SlackSettings = NonNullable<Config['slack']>;

export interface SlackSurface {
  app: App;
  mode: SlackSettings['mode'];
  /** Verifies the token (auth.test) and, in Socket Mode, connects. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface SlackSurfaceOptions {
  /** Retry policy of the Web API client; tests use fewer retries. */
  retries?: number;
  /** Where OAuth installs are kept (required when settings.oauth is set). */
  installs?: SealedInstalls | undefined;
}

/** The bot scopes an install asks for: manifest.yml's, which test/slack-manifest.test.ts keeps equal. */
export const SLACK_BOT_SCOPES = [
  'app_mentions:read',
  'chat:write',
  'commands',
  'files:write',
  'im:history',
  'im:write',
  'links:read',
  'links:write',
] as const;

export function createSlackSurface(
  settings: SlackSettings,
  web: Express,
  deps: SlackDeps,
  options: SlackSurfaceOptions = {},
): SlackSurface {
  const logger = boltLogger(deps.logger);
  const clientOptions = {
    slackApiUrl: settings.apiUrl,
    // Rate limits (429 + Retry-After) are waited out by the client; network and 5xx errors are retried.
    rejectRateLimitedCalls: false,
    retryConfig: { retries: options.retries ?? 3, factor: 2, minTimeout: 500, maxTimeout: 10_000 },
  };

  let app: App;
  if (settings.mode === 'socket') {
    app = new App({
      token: settings.botToken,
      appToken: settings.appToken,
      socketMode: true,
      logger,
      convoStore: false,
      clientOptions,
      deferInitialization: true,
    });
  } else {
    web.use(
      '/slack/events',
      rejectFutureTimestamps(),
      rejectReplays({ ...(deps.deliveries ? { shared: deps.deliveries } : {}), logger: deps.logger }),
    );
    const receiver = new ExpressReceiver({
      signingSecret: settings.signingSecret,
      app: web,
      endpoints: '/slack/events',
      logger,
      // The HTTP response reaches the listeners, so /her2 can ack with its card's cached JSON (see acks.ts).
      customPropertiesExtractor: (req) => ({ [HTTP_RESPONSE]: req.res }),
      ...(settings.oauth ? oauthOptions(settings, deps, options.installs) : {}),
    });
    app = new App({
      receiver,
      // Without a token Bolt authorizes each request from the installation store (OAuth mode).
      ...(settings.botToken ? { token: settings.botToken } : {}),
      logger,
      clientOptions,
      deferInitialization: true,
      // No listener reads Bolt's conversation context: its store would cost a lookup per request.
      convoStore: false,
    });
  }
  register(app, deps);

  return {
    app,
    mode: settings.mode,
    async start() {
      try {
        await app.init();
      } catch (err) {
        throw startFailure(err, settings.apiUrl);
      }
      if (settings.mode === 'socket') await app.start();
    },
    async stop() {
      if (settings.mode === 'socket') await app.stop();
    },
  };
}

/**
 * Bolt's InstallProvider on our routes: /slack/install sends the browser to Slack with a state tied to
 * a cookie, /slack/oauth_redirect checks that state and exchanges the code at oauth.v2.access (on
 * SLACK_API_URL, like every Web API call), and the install is kept sealed in the store.
 */
function oauthOptions(settings: SlackSettings, deps: SlackDeps, installs: SealedInstalls | undefined) {
  const oauth = settings.oauth!;
  if (!installs) throw new StartupError('Slack OAuth installs need the store (DATABASE_PATH)');
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    scopes: [...SLACK_BOT_SCOPES],
    installationStore: new SlackInstallationStore(installs, deps.logger, async (teamId) => {
      const resumed = (await deps.workspaces?.installed(slackWorkspacePrefix(teamId))) ?? 0;
      if (resumed > 0) deps.logger.info({ teamId, resumed }, 'Slack: digest subscriptions resumed after reinstall');
    }),
    ...(oauth.redirectUri ? { redirectUri: oauth.redirectUri } : {}),
    installerOptions: {
      installPath: '/slack/install',
      redirectUriPath: '/slack/oauth_redirect',
      // Straight to Slack's consent screen: no page of our own in between.
      directInstall: true,
      // Slack's consent screen lives beside its Web API (slack.com/api/ → slack.com/oauth/v2/authorize).
      authorizationUrl: new URL('../oauth/v2/authorize', settings.apiUrl).href,
      clientOptions: { slackApiUrl: settings.apiUrl },
      callbackOptions: installPages(deps.logger),
    },
  };
}

/**
 * auth.test failing at start: Slack refused the token (a platform error such as invalid_auth), or the
 * Web API could not be reached at all (a network error or an HTTP error status), which is not the
 * token's fault and is said so.
 */
function startFailure(err: unknown, apiUrl: string): StartupError {
  const e = err as { code?: string; data?: { error?: string }; original?: { code?: string }; statusCode?: number };
  if (e.code === 'slack_webapi_platform_error' || e.data?.error) {
    return new StartupError(
      `Slack rejected SLACK_BOT_TOKEN at start (auth.test: ${e.data?.error ?? 'error'}); check the token and SLACK_API_URL`,
    );
  }
  const reason =
    networkCode(e.original) ?? (e.statusCode ? `HTTP ${e.statusCode}` : (e.code ?? (err as Error).message));
  return new StartupError(
    `Slack's Web API could not be reached at SLACK_API_URL=${apiUrl} (${reason}); check the URL, the network and proxies`,
  );
}

/** ECONNREFUSED, ENOTFOUND, …: wherever the HTTP client put it (the error, its cause, an aggregate's errors). */
function networkCode(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== 'object' || depth > 3) return undefined;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) return e.code;
  return networkCode(e.cause, depth + 1) ?? (e.errors ?? []).map((x) => networkCode(x, depth + 1)).find(Boolean);
}
