/** The Teams bot: routes each kind of activity to its handler module. */
import {
  type AppBasedLinkQuery,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
  TeamsActivityHandler,
  type TurnContext,
} from 'botbuilder';
import { interaction, somethingWentWrong } from '../../src/interaction.ts';
import { botWasAdded, welcome } from './conversation/welcome.ts';
import type { TeamsDeps } from './deps.ts';
import { isPersonal } from './identity.ts';
import { onLinkQuery } from './message-extensions/link-unfurl.ts';
import { onSearch, SEARCH_COMMAND_ID } from './message-extensions/search.ts';
import { isCardAction, onCardAction } from './messages/card-action.ts';
import { isForTheBot, onMessage, rememberConversation } from './messages/message.ts';
import { withConnector } from './send.ts';

export class Her2TeamsBot extends TeamsActivityHandler {
  constructor(private readonly deps: TeamsDeps) {
    super();
    this.onMessage(async (ctx, next) => {
      const click = isCardAction(ctx);
      if (!click && !isForTheBot(ctx.activity)) return next();
      await interaction(
        deps.logger,
        'teams',
        click ? 'click' : isPersonal(ctx.activity) ? 'dm' : 'mention',
        (record) => (click ? onCardAction(ctx, deps, record) : onMessage(ctx, deps, record)),
        async (id) => {
          await withConnector(deps.logger, 'error reply', () => ctx.sendActivity(somethingWentWrong(id)));
        },
      );
      await next();
    });
    this.onInstallationUpdateAdd(async (ctx, next) => {
      await welcome(ctx, deps);
      await next();
    });
    // Teams announces an install twice (installationUpdate and conversationUpdate): the first
    // welcomes, the second only keeps the conversation reference.
    this.onMembersAdded(async (ctx, next) => {
      if (botWasAdded(ctx)) await rememberConversation(ctx, deps);
      await next();
    });
  }

  protected override async handleTeamsMessagingExtensionQuery(
    _ctx: TurnContext,
    query: MessagingExtensionQuery,
  ): Promise<MessagingExtensionResponse> {
    if (query.commandId && query.commandId !== SEARCH_COMMAND_ID) {
      return { composeExtension: { type: 'message', text: `Unknown command ${query.commandId}` } };
    }
    return onSearch(query, this.deps);
  }

  protected override async handleTeamsAppBasedLinkQuery(
    _ctx: TurnContext,
    query: AppBasedLinkQuery,
  ): Promise<MessagingExtensionResponse> {
    return onLinkQuery(query, this.deps);
  }
}
