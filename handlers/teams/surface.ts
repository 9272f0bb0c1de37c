/**
 * The Teams surface: botbuilder's CloudAdapter behind POST /api/messages on the shared server, and
 * proactive posting for the digest. This folder is the only place that imports botbuilder (archived
 * by Microsoft; its successor @microsoft/agents-hosting runs on Node 20), so a move touches only here.
 */

import { randomUUID } from 'node:crypto';
import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type ConversationReference,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationError,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import express, { type Express } from 'express';
import type { AdaptiveCard } from '../../src/cards/teams.ts';
import type { Config } from '../../src/config.ts';
import { isLoopbackUrl } from '../../src/http/loopback.ts';
import { somethingWentWrong } from '../../src/interaction.ts';
import { activityShape } from './activity-shape.ts';
import { Her2TeamsBot } from './bot.ts';
import { ReusedConnectorClients } from './connector-clients.ts';
import type { TeamsDeps } from './deps.ts';
import { loopbackOnly, readOnlyDigest } from './local-mode.ts';
import { ConversationReferences, type ReferenceStore } from './references.ts';
import { attachmentActivity } from './render.ts';
import { type SendFailure, withConnector } from './send.ts';

export type TeamsSettings = NonNullable<Config['teams']>;

export interface TeamsSurfaceOptions {
  /** For tests of the authenticated path: a credentials factory that never calls Microsoft. */
  credentialsFactory?: ServiceClientCredentialsFactory;
  /** For tests: Bot Framework endpoint settings (e.g. a local OpenID metadata URL). */
  authSettings?: Record<string, string>;
}

export interface TeamsSurface {
  mode: 'authenticated' | 'local';
  /** Posts a card into a stored conversation (the digest); never throws. */
  sendProactive(
    reference: object,
    card: AdaptiveCard,
    summary: string,
  ): Promise<{ ok: true; id: string | undefined } | { ok: false; failure: SendFailure }>;
}

/** What the composition root hands the surface: where conversation references live, not how they are cached. */
export type TeamsSurfaceDeps = Omit<TeamsDeps, 'references' | 'appId'> & { conversations?: ReferenceStore | undefined };

export function createTeamsSurface(
  settings: TeamsSettings,
  web: Express,
  { conversations, ...deps }: TeamsSurfaceDeps,
  options: TeamsSurfaceOptions = {},
): TeamsSurface {
  const auth: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: settings.appId ?? '',
    MicrosoftAppPassword: settings.appPassword ?? '',
    MicrosoftAppType: settings.appType,
    MicrosoftAppTenantId: settings.tenantId ?? '',
    ...options.authSettings,
  } as ConfigurationBotFrameworkAuthenticationOptions;
  const local = settings.mode !== 'authenticated';
  const adapter = new TokenCheckedAdapter(
    new ReusedConnectorClients(new ConfigurationBotFrameworkAuthentication(auth, options.credentialsFactory)),
  );
  const logger = deps.logger.child({ surface: 'teams' });
  adapter.onTurnError = async (ctx, err) => {
    const id = randomUUID().slice(0, 8);
    logger.error({ err, id, activityType: ctx.activity.type }, 'Teams turn failed');
    await withConnector(logger, 'error reply', () => ctx.sendActivity(somethingWentWrong(id)));
  };
  // Unauthenticated local mode stores nothing: no conversation references, no subscriptions.
  const bot = new Her2TeamsBot(
    local
      ? {
          ...deps,
          logger,
          appId: settings.appId,
          references: undefined,
          digest: readOnlyDigest(deps.digest, deps.core),
        }
      : {
          ...deps,
          logger,
          appId: settings.appId,
          references: conversations && new ConversationReferences(conversations),
        },
  );

  const guards = local ? [loopbackOnly(logger)] : [];
  web.post('/api/messages', express.json({ limit: '1mb' }), activityShape(), ...guards, async (req, res) => {
    await adapter.process(req, res, (ctx) => bot.run(ctx));
  });

  return {
    mode: local ? 'local' : 'authenticated',
    async sendProactive(reference, card, summary) {
      if (local && !isLoopbackUrl((reference as { serviceUrl?: unknown }).serviceUrl)) {
        logger.warn('Teams (TEAMS_AUTH=none): not posting to a stored conversation outside this machine');
        return { ok: false, failure: { status: undefined, code: 'serviceUrl not allowed', removed: false } };
      }
      const activity = attachmentActivity(card, summary);
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

/**
 * botbuilder answers 401 only for its own AuthenticationError; jsonwebtoken's errors for a token not
 * yet valid (`nbf` in the future) or malformed reach it as plain errors and become 500s. They are
 * the caller's fault, so they are turned into 401s here.
 */
class TokenCheckedAdapter extends CloudAdapter {
  protected override processActivity(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined>;
  protected override processActivity(
    authResult: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined>;
  protected override async processActivity(
    auth: string | AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    try {
      return await super.processActivity(auth as string, activity, logic);
    } catch (err) {
      const name = (err as Error)?.name;
      if (name === 'NotBeforeError' || name === 'JsonWebTokenError' || name === 'TokenExpiredError') {
        throw new AuthenticationError(`token refused: ${(err as Error).message}`, 401);
      }
      throw err;
    }
  }
}
