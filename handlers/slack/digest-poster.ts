/**
 * Posts a digest to a Slack channel: a parent message with the capped groups, and the full list in
 * its thread (in messages small enough for Slack's block limit).
 */
import type { WebClient } from '@slack/web-api';
import { digestView } from '../../src/cards/digest.ts';
import { renderSlack } from '../../src/cards/slack.ts';
import type { Core } from '../../src/core.ts';
import type { Digest } from '../../src/digest/compose.ts';
import type { DigestPoster, PostResult } from '../../src/digest/posting.ts';
import { displayName } from '../../src/knowledge/knowledge-base.ts';
import type { Logger } from '../../src/logger.ts';
import { logSlackFailure } from './errors.ts';

const THREAD_CHUNK = 20;

export class SlackDigestPoster implements DigestPoster {
  constructor(
    private readonly client: WebClient,
    private readonly core: Core,
    private readonly logger: Logger,
  ) {}

  async post(channelKey: string, digest: Digest): Promise<PostResult> {
    const channel = channelKey.split(':')[2];
    if (!channel) return { ok: false, channelGone: true, error: `not a Slack channel key: ${channelKey}` };
    const nameOf = (id: string) => displayName(this.core.kb, id);
    let ts: string | undefined;
    try {
      const parent = renderSlack(digestView(digest, nameOf));
      const result = await this.client.chat.postMessage({
        channel,
        text: parent.text,
        blocks: parent.blocks,
        unfurl_links: false,
        unfurl_links_media: false,
      } as Parameters<WebClient['chat']['postMessage']>[0]);
      ts = result.ts;
    } catch (err) {
      const failure = logSlackFailure(this.logger, 'chat.postMessage', err, { channel, what: 'digest' });
      return { ok: false, channelGone: failure.channelProblem, error: failure.code };
    }
    const shown = digest.groups.reduce((n, g) => n + g.items.length, 0);
    if (ts && digest.items.length > shown) {
      // The parent is what counts as posted; a thread reply that fails is logged, not retried.
      for (let i = 0; i < digest.items.length; i += THREAD_CHUNK) {
        const part = { ...digest, items: digest.items.slice(i, i + THREAD_CHUNK) };
        const message = renderSlack(
          digestView(part, nameOf, {
            all: true,
            title: `All ${digest.items.length} items (${i + 1}–${Math.min(i + THREAD_CHUNK, digest.items.length)})`,
          }),
        );
        try {
          await this.client.chat.postMessage({
            channel,
            thread_ts: ts,
            text: message.text,
            blocks: message.blocks,
            unfurl_links: false,
          });
        } catch (err) {
          logSlackFailure(this.logger, 'chat.postMessage', err, { channel, what: 'digest thread' });
          break;
        }
      }
    }
    return { ok: true, ...(ts ? { messageId: ts } : {}) };
  }
}
