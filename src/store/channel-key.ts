/**
 * One spelling of "which channel" for the whole bot. Subscriptions, runs, posted items and
 * conversation references all key on it, so a Slack channel and a Teams conversation can never collide,
 * and the platform can be read back from the key without another column to keep in step.
 *
 *   slack:T0123ABCD:C0456EFGH       workspace (team) id + channel id
 *   teams:19:abc…@thread.tacv2      conversation id, without any `;messageid=…` thread suffix
 */
import { invalid } from './errors.ts';
import { checkKey } from './values.ts';

export const PLATFORMS = ['slack', 'teams'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A channel key, as built by `slackChannelKey` or `teamsChannelKey`. */
export type ChannelKey = string;

const SLACK_ID = /^[A-Z0-9]+$/;

export function slackChannelKey(teamId: string, channelId: string): ChannelKey {
  if (!SLACK_ID.test(teamId)) throw invalid(`Slack team id must look like T0123ABCD, got ${JSON.stringify(teamId)}`);
  if (!SLACK_ID.test(channelId)) {
    throw invalid(`Slack channel id must look like C0456EFGH, got ${JSON.stringify(channelId)}`);
  }
  return `slack:${teamId}:${channelId}`;
}

/**
 * Teams gives a message in a channel thread the conversation id `<channel>;messageid=<root>`. The
 * subscription belongs to the channel, so the suffix is dropped: subscribing from any thread of a
 * channel names the same subscription, and a bare channel id makes proactive posts land at the root.
 */
export function teamsChannelKey(conversationId: string): ChannelKey {
  const channel = conversationId.split(';messageid=')[0] ?? '';
  return `teams:${checkKey(channel, 'Teams conversation id')}`;
}

/** The platform a key belongs to; throws for anything not built by the two functions above. */
export function platformOf(key: string): Platform {
  checkKey(key, 'channel key');
  const platform = PLATFORMS.find((p) => key.startsWith(`${p}:`) && key.length > p.length + 1);
  if (!platform) throw invalid(`channel key must start with slack: or teams:, got ${JSON.stringify(key)}`);
  return platform;
}
