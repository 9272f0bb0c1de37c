/**
 * Posts a digest to a Slack channel: a parent message with the capped groups, and the full list in
 * its thread (in messages small enough for Slack's block limit). Each message counts only once Slack
 * accepted it, and only for the items it shows; a thread reply that fails leaves its items for the
 * next digest.
 */
import type { WebClient } from '@slack/web-api';
import { digestView } from '../../src/cards/digest.ts';
import { slackUrl } from '../../src/cards/escape.ts';
import { renderSlack } from '../../src/cards/slack.ts';
import type { Core } from '../../src/core.ts';
import type { Digest } from '../../src/digest/compose.ts';
import type { DigestPoster, PostResult } from '../../src/digest/posting.ts';
import { shownItemKeys } from '../../src/digest/shown.ts';
import { displayName } from '../../src/knowledge/knowledge-base.ts';
import type { Logger } from '../../src/logger.ts';
import { logSlackFailure } from './errors.ts';
import { SLACK_KEY_PREFIX, slackChannelOf } from './identity.ts';
import type { SlackClients } from './workspace-clients.ts';

const THREAD_CHUNK = 20;

export class SlackDigestPoster implements DigestPoster {
  constructor(
    private readonly clients: SlackClients,
    private readonly core: Core,
    private readonly logger: Logger,
  ) {}

  owns(channelKey: string): boolean {
    return channelKey.startsWith(SLACK_KEY_PREFIX);
  }

  async post(channelKey: string, digest: Digest): Promise<PostResult> {
    const channel = slackChannelOf(channelKey);
    if (!channel) return { ok: false, channelGone: true, error: `not a Slack channel key: ${channelKey}` };
    let client: WebClient | undefined;
    try {
      client = await this.clients(channelKey);
    } catch (err) {
      // The workspace's install is there but does not open (its sealing key is gone): not the channel's fault.
      this.logger.error({ channel, reason: (err as Error).message }, 'Slack: the workspace token cannot be read');
      return { ok: false, channelGone: false, error: 'token_unreadable' };
    }
    // No install for the workspace: it uninstalled the app (a reinstall resumes the subscription).
    if (!client) return { ok: false, channelGone: true, error: 'app_uninstalled' };
    const nameOf = (id: string) => displayName(this.core.kb, id);
    const shown = new Set<string>();
    let ts: string | undefined;
    try {
      const parent = renderSlack(digestView(digest, nameOf, { exportable: true }));
      const result = await client.chat.postMessage({
        channel,
        text: parent.text,
        blocks: parent.blocks,
        unfurl_links: false,
        unfurl_links_media: false,
      } as Parameters<WebClient['chat']['postMessage']>[0]);
      ts = result.ts;
      for (const key of shownItemKeys(digest.items, parent.blocks, slackUrl)) shown.add(key);
    } catch (err) {
      const failure = logSlackFailure(this.logger, 'chat.postMessage', err, { channel, what: 'digest' });
      return { ok: false, channelGone: failure.channelProblem, error: failure.code };
    }
    if (ts && digest.items.some((d) => !shown.has(d.key))) {
      for (let i = 0; i < digest.items.length; i += THREAD_CHUNK) {
        const items = digest.items.slice(i, i + THREAD_CHUNK);
        const message = renderSlack(
          digestView({ ...digest, items }, nameOf, {
            all: true,
            title: `All ${digest.items.length} items (${i + 1}–${Math.min(i + THREAD_CHUNK, digest.items.length)})`,
          }),
        );
        try {
          await client.chat.postMessage({
            channel,
            thread_ts: ts,
            text: message.text,
            blocks: message.blocks,
            unfurl_links: false,
          });
          for (const key of shownItemKeys(items, message.blocks, slackUrl)) shown.add(key);
        } catch (err) {
          // The parent is out; what the failed reply would have shown comes with the next digest.
          logSlackFailure(this.logger, 'chat.postMessage', err, { channel, what: 'digest thread' });
          break;
        }
      }
    }
    return { ok: true, shownItems: [...shown], ...(ts ? { messageId: ts } : {}) };
  }
}
