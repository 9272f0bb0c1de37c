/**
 * The Slack surface: a Bolt app in HTTP mode (its routes on our shared Express server, at
 * /slack/events) or in Socket Mode (no public URL needed). Listeners are registered by ./index.ts.
 */
import { App, ExpressReceiver } from '@slack/bolt';
import type { Express } from 'express';
import type { Config } from '../../src/config.ts';
import { HTTP_RESPONSE } from './acks.ts';
import type { SlackDeps } from './deps.ts';
import { register } from './index.ts';
import { boltLogger } from './logger.ts';
import { rejectFutureTimestamps } from './middleware/reject-future-timestamps.ts';

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
}

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
    web.use('/slack/events', rejectFutureTimestamps());
    const receiver = new ExpressReceiver({
      signingSecret: settings.signingSecret,
      app: web,
      endpoints: '/slack/events',
      logger,
      // The HTTP response reaches the listeners, so /her2 can ack with its card's cached JSON (see acks.ts).
      customPropertiesExtractor: (req) => ({ [HTTP_RESPONSE]: req.res }),
    });
    app = new App({
      receiver,
      token: settings.botToken,
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
        const code = (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
        throw new Error(
          `Slack rejected SLACK_BOT_TOKEN at start (auth.test: ${code}); check the token and SLACK_API_URL`,
        );
      }
      if (settings.mode === 'socket') await app.start();
    },
    async stop() {
      if (settings.mode === 'socket') await app.stop();
    },
  };
}
