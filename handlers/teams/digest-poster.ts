/** Posts a digest into a Teams conversation from its stored reference (a proactive message). */
import { digestView } from '../../src/cards/digest.ts';
import { renderTeams } from '../../src/cards/teams.ts';
import type { Core } from '../../src/core.ts';
import type { Digest } from '../../src/digest/compose.ts';
import type { DigestPoster, PostResult } from '../../src/digest/posting.ts';
import { displayName } from '../../src/knowledge/knowledge-base.ts';
import type { TeamsSurface } from './surface.ts';

export interface ReferenceLookup {
  reference(channelKey: string): object | undefined;
}

export class TeamsDigestPoster implements DigestPoster {
  constructor(
    private readonly surface: TeamsSurface,
    private readonly references: ReferenceLookup,
    private readonly core: Core,
  ) {}

  async post(channelKey: string, digest: Digest): Promise<PostResult> {
    const reference = this.references.reference(channelKey);
    if (!reference) return { ok: false, channelGone: true, error: 'no stored conversation reference' };
    const view = digestView(digest, (id) => displayName(this.core.kb, id));
    const sent = await this.surface.sendProactive(channelRoot(reference, channelKey), renderTeams(view), view.fallback);
    if (sent.ok) return { ok: true, ...(sent.id ? { messageId: sent.id } : {}) };
    const gone = sent.failure.removed || sent.failure.status === 404;
    return { ok: false, channelGone: gone, error: sent.failure.code };
  }
}

/**
 * The stored reference is of the message that last spoke to the bot: its conversation id may carry
 * `;messageid=<thread>` and its `activityId` makes botbuilder send a reply to that message. The digest
 * belongs to the channel (the key holds its bare id), so it is posted at the channel's root instead.
 */
function channelRoot(reference: object, channelKey: string): object {
  const { activityId: _replyTo, ...rest } = reference as { activityId?: string; conversation?: object };
  return { ...rest, conversation: { ...rest.conversation, id: channelKey.slice('teams:'.length) } };
}
