/** The App Home tab: the mechanism map, how to ask, the knowledge-base version and the review. */
import type { App } from '@slack/bolt';
import { renderSlackHome } from '../../../src/cards/slack-home.ts';
import { interaction, somethingWentWrong } from '../../../src/interaction.ts';
import type { SlackDeps } from '../deps.ts';
import { logSlackFailure } from '../errors.ts';

export function register(app: App, { core, logger }: SlackDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const publish = async (blocks: ReturnType<typeof renderSlackHome>) => {
      try {
        await client.views.publish({ user_id: event.user, view: { type: 'home', blocks } });
        return true;
      } catch (err) {
        logSlackFailure(logger, 'views.publish', err, { user: event.user });
        return false;
      }
    };
    await interaction(
      logger,
      'slack',
      'home',
      async (record) => {
        record.answered((await publish(renderSlackHome(core.overview()))) ? 'home' : 'not delivered');
      },
      // The tab is the only place to answer: it shows the short message instead of staying blank.
      async (id) => {
        await publish([{ type: 'section', text: { type: 'plain_text', text: somethingWentWrong(id) } }]);
      },
    );
  });
}
