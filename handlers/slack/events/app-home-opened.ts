/** The App Home tab: the mechanism map, how to ask, the knowledge-base version and the review. */
import type { App } from '@slack/bolt';
import { renderSlackHome } from '../../../src/cards/slack-home.ts';
import type { SlackDeps } from '../deps.ts';
import { logSlackFailure } from '../errors.ts';

export function register(app: App, { core, logger }: SlackDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    try {
      await client.views.publish({
        user_id: event.user,
        view: { type: 'home', blocks: renderSlackHome(core.overview()) },
      });
    } catch (err) {
      logSlackFailure(logger, 'views.publish', err, { user: event.user });
    }
  });
}
