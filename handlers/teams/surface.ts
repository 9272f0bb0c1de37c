/**
 * The Teams surface: botbuilder's CloudAdapter behind POST /api/messages on the shared server, and
 * proactive posting for the digest. This folder is the only place that imports botbuilder (archived
 * by Microsoft; its successor @microsoft/agents-hosting runs on Node 20), so a move touches only here.
 */
import {
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type ConversationReference,
  MessageFactory,
} from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import express, { type Express } from 'express';
import type { AdaptiveCard } from '../../src/cards/teams.ts';
import type { Config } from '../../src/config.ts';
import { Her2TeamsBot } from './bot.ts';
import type { TeamsDeps } from './deps.ts';
import { type SendFailure, withConnector } from './send.ts';

export type TeamsSettings = NonNullable<Config['teams']>;

export interface TeamsSurfaceOptions {
  /** For tests of the authenticated path: a credentials factory that never calls Microsoft. */
  credentialsFactory?: ServiceClientCredentialsFactory;
  /** For tests: Bot Framework endpoint settings (e.g. a local OpenID metadata URL). */
  authSettings?: Record<string, string>;
}

export interface TeamsSurface {
  mode: 'authenticated' | 'anonymous';
  /** Posts a card into a stored conversation (the digest); never throws. */
  sendProactive(
    reference: object,
    card: AdaptiveCard,
    summary: string,
  ): Promise<{ ok: true; id: string | undefined } | { ok: false; failure: SendFailure }>;
}

export function createTeamsSurface(
  settings: TeamsSettings,
  web: Express,
  deps: TeamsDeps,
  options: TeamsSurfaceOptions = {},
): TeamsSurface {
  const auth: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: settings.appId ?? '',
    MicrosoftAppPassword: settings.appPassword ?? '',
    MicrosoftAppType: settings.appType,
    MicrosoftAppTenantId: settings.tenantId ?? '',
    ...options.authSettings,
  } as ConfigurationBotFrameworkAuthenticationOptions;
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(auth, options.credentialsFactory));
  const logger = deps.logger.child({ surface: 'teams' });
  adapter.onTurnError = async (ctx, err) => {
    logger.error({ err, activityType: ctx.activity.type }, 'Teams turn failed');
    await withConnector(logger, 'error reply', () =>
      ctx.sendActivity('Sorry, something went wrong answering that. Please try again.'),
    );
  };
  const bot = new Her2TeamsBot({ ...deps, logger });

  web.post('/api/messages', express.json({ limit: '1mb' }), async (req, res) => {
    await adapter.process(req, res, (ctx) => bot.run(ctx));
  });

  return {
    mode: settings.appId ? 'authenticated' : 'anonymous',
    async sendProactive(reference, card, summary) {
      const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      activity.summary = summary.slice(0, 200);
      let outcome: Awaited<ReturnType<TeamsSurface['sendProactive']>> = {
        ok: false,
        failure: { status: undefined, code: 'not sent', removed: false },
      };
      // Errors are caught inside the turn: otherwise the adapter's onTurnError would try to answer
      // a conversation we may have just been removed from.
      const ran = await withConnector(logger, 'proactive turn', () =>
        adapter.continueConversationAsync(
          settings.appId ?? '',
          reference as Partial<ConversationReference>,
          async (ctx) => {
            const sent = await withConnector(logger, 'proactive message', () => ctx.sendActivity(activity));
            outcome = sent.ok ? { ok: true, id: sent.value?.id } : sent;
          },
        ),
      );
      return ran.ok ? outcome : ran;
    },
  };
}
