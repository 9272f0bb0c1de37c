/** The Teams bot: routes each kind of activity to its handler module. */
import {
  type AppBasedLinkQuery,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
  TeamsActivityHandler,
  type TurnContext,
} from 'botbuilder';
import {
  type InteractionKind,
  type InteractionRecord,
  interaction,
  somethingWentWrong,
} from '../../src/interaction.ts';
import { botWasAdded, welcome } from './conversation/welcome.ts';
import type { TeamsDeps } from './deps.ts';
import { isPersonal } from './identity.ts';
import { onLinkQuery } from './message-extensions/link-unfurl.ts';
import { onSearch, SEARCH_COMMAND_ID } from './message-extensions/search.ts';
import { isCardAction, onCardAction } from './messages/card-action.ts';
import { isCurationSubmit, onCurationSubmit } from './messages/curation.ts';
import { isExport, onExport } from './messages/export.ts';
import { isFeedback, onFeedback } from './messages/feedback.ts';
import { isForTheBot, onMessage, rememberConversation } from './messages/message.ts';
import { withConnector } from './send.ts';

export class Her2TeamsBot extends TeamsActivityHandler {
  constructor(private readonly deps: TeamsDeps) {
    super();
    this.onMessage(async (ctx, next) => {
      const pressed = isFeedback(ctx);
      const curating = isCurationSubmit(ctx);
      const exporting = isExport(ctx);
      const click = pressed || curating || exporting || isCardAction(ctx);
      if (!click && !isForTheBot(ctx.activity)) return next();
      await interaction(
        deps.logger,
        'teams',
        click ? 'click' : isPersonal(ctx.activity) ? 'dm' : 'mention',
        (record) =>
          pressed
            ? onFeedback(ctx, deps, record)
            : curating
              ? onCurationSubmit(ctx, deps, record)
              : exporting
                ? onExport(ctx, deps, record)
                : click
                  ? onCardAction(ctx, deps, record)
                  : onMessage(ctx, deps, record),
        async (id) => {
          await withConnector(deps.logger, 'error reply', () => ctx.sendActivity(somethingWentWrong(id)));
        },
      );
      await next();
    });
    this.onInstallationUpdateAdd(async (ctx, next) => {
      await this.guarded(ctx, 'welcome', async (record) => {
        await welcome(ctx, deps);
        record.answered('help');
      });
      await next();
    });
    // Teams announces an install twice (installationUpdate and conversationUpdate): the first
    // welcomes, the second only keeps the conversation reference.
    this.onMembersAdded(async (ctx, next) => {
      if (botWasAdded(ctx)) {
        await this.guarded(ctx, 'welcome', async (record) => {
          await rememberConversation(ctx, deps);
          record.answered('added');
        });
      }
      await next();
    });
  }

  /** An activity the bot answers in the conversation: a failure gets the short message there. */
  private guarded(ctx: TurnContext, kind: InteractionKind, run: (record: InteractionRecord) => Promise<void>) {
    return interaction(this.deps.logger, 'teams', kind, run, async (id) => {
      await withConnector(this.deps.logger, 'error reply', () => ctx.sendActivity(somethingWentWrong(id)));
    });
  }

  /** An invoke answered in its HTTP response: a failure answers with the short message instead. */
  private invoke(
    kind: InteractionKind,
    run: (record: InteractionRecord) => MessagingExtensionResponse,
  ): Promise<MessagingExtensionResponse> {
    return interaction(
      this.deps.logger,
      'teams',
      kind,
      async (record) => run(record),
      async (id) => ({ composeExtension: { type: 'message', text: somethingWentWrong(id) } }),
    );
  }

  protected override async handleTeamsMessagingExtensionQuery(
    _ctx: TurnContext,
    query: MessagingExtensionQuery,
  ): Promise<MessagingExtensionResponse> {
    return this.invoke('extension', (record) => {
      if (query.commandId && query.commandId !== SEARCH_COMMAND_ID) {
        record.answered('notice');
        return { composeExtension: { type: 'message', text: `Unknown command ${query.commandId}` } };
      }
      return onSearch(query, this.deps, record);
    });
  }

  protected override async handleTeamsAppBasedLinkQuery(
    _ctx: TurnContext,
    query: AppBasedLinkQuery,
  ): Promise<MessagingExtensionResponse> {
    return this.invoke('unfurl', (record) => onLinkQuery(query, this.deps, record));
  }
}
