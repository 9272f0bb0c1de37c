/**
 * The App Home tab: the mechanism map, how to ask, the knowledge-base version and the review; for a
 * curator (CURATORS), the curation queue below it.
 */
import type { WebClient } from '@slack/web-api';
import { curationHomeBlocks } from '../../../src/cards/slack-curation.ts';
import { renderSlackHome } from '../../../src/cards/slack-home.ts';
import { interaction, somethingWentWrong } from '../../../src/interaction.ts';
import type { SlackDeps } from '../deps.ts';
import { logSlackFailure } from '../errors.ts';
import type { SlackListeners } from '../listeners.ts';

export function register(app: SlackListeners, deps: SlackDeps): void {
  const { logger } = deps;
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
        record.answered((await publish(await homeBlocks(deps, event.user))) ? 'home' : 'not delivered');
      },
      // The tab is the only place to answer: it shows the short message instead of staying blank.
      async (id) => {
        await publish([{ type: 'section', text: { type: 'plain_text', text: somethingWentWrong(id) } }]);
      },
    );
  });
}

/** The Home tab's blocks for one person: the curation queue only when they are a curator. */
async function homeBlocks({ core, curation }: SlackDeps, user: string) {
  const queue = await curation?.queue(user);
  return [...renderSlackHome(core.overview()), ...(queue ? curationHomeBlocks(queue) : [])];
}

/** Publishes the Home tab again (after a curator's decision), so it shows the new state. */
export async function publishHome(client: WebClient, deps: SlackDeps, user: string): Promise<void> {
  try {
    await client.views.publish({ user_id: user, view: { type: 'home', blocks: await homeBlocks(deps, user) } });
  } catch (err) {
    logSlackFailure(deps.logger, 'views.publish', err, { user });
  }
}
