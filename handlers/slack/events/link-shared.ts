/**
 * Links to PubMed, DOI or ClinicalTrials.gov that the knowledge base cites unfurl into a compact
 * evidence card. Links it does not cite are left to Slack. An unfurl has no one to answer: a failure
 * is logged (with its correlation id) and the link stays as Slack shows it.
 */
import { renderSlackUnfurl } from '../../../src/cards/slack.ts';
import { cardView } from '../../../src/cards/view.ts';
import { interaction } from '../../../src/interaction.ts';
import { displayName } from '../../../src/knowledge/knowledge-base.ts';
import type { SlackDeps } from '../deps.ts';
import { logSlackFailure } from '../errors.ts';
import type { SlackListeners } from '../listeners.ts';

export function register(app: SlackListeners, { core, logger }: SlackDeps): void {
  app.event('link_shared', async ({ event, client }) => {
    await interaction(
      logger,
      'slack',
      'unfurl',
      async (record) => {
        const unfurls: Record<string, { blocks: ReturnType<typeof renderSlackUnfurl> }> = {};
        for (const { url } of event.links) {
          const answer = core.unfurl(url);
          if (answer) unfurls[url] = { blocks: renderSlackUnfurl(cardView(answer, (id) => displayName(core.kb, id))) };
        }
        if (Object.keys(unfurls).length === 0) return record.answered('not cited');
        try {
          await client.chat.unfurl({ channel: event.channel, ts: event.message_ts, unfurls });
          record.answered('evidence');
        } catch (err) {
          logSlackFailure(logger, 'chat.unfurl', err, { channel: event.channel });
          record.answered('not delivered');
        }
      },
      async () => undefined,
    );
  });
}
