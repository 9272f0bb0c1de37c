/**
 * Posts a digest into a Teams conversation from its stored reference (a proactive message). Teams has
 * no threads under a bot's post, so what the first card cannot show follows in further cards, each
 * counted only once Teams accepted it; a card that fails leaves its items for the next digest.
 */
import { digestView } from '../../src/cards/digest.ts';
import { teamsUrl } from '../../src/cards/escape.ts';
import { renderTeams } from '../../src/cards/teams.ts';
import type { Core } from '../../src/core.ts';
import type { Digest } from '../../src/digest/compose.ts';
import type { DigestPoster, PostResult } from '../../src/digest/posting.ts';
import { shownItemKeys } from '../../src/digest/shown.ts';
import { tagChoices } from '../../src/feedback/tags.ts';
import { displayName } from '../../src/knowledge/knowledge-base.ts';
import { TEAMS_KEY_PREFIX, teamsKeyParts } from './identity.ts';
import type { ReferenceStore } from './references.ts';
import type { TeamsSurface } from './surface.ts';

/** Items per follow-up card: well inside Teams' 28 KB card limit. */
const MORE_CHUNK = 10;

export class TeamsDigestPoster implements DigestPoster {
  constructor(
    private readonly surface: TeamsSurface,
    private readonly references: Pick<ReferenceStore, 'get'>,
    private readonly core: Core,
  ) {}

  owns(channelKey: string): boolean {
    return channelKey.startsWith(TEAMS_KEY_PREFIX);
  }

  async post(channelKey: string, digest: Digest): Promise<PostResult> {
    const stored = (await this.references.get(channelKey))?.reference;
    const parts = teamsKeyParts(channelKey);
    if (!stored || !parts) return { ok: false, channelGone: true, error: 'no stored conversation reference' };
    // Belt and braces: a reference from another tenant never posts under this tenant's key.
    const storedTenant = (stored as { conversation?: { tenantId?: string } }).conversation?.tenantId;
    if (parts.tenantId && storedTenant && storedTenant !== parts.tenantId) {
      return { ok: false, channelGone: false, error: 'tenant_mismatch' };
    }
    const reference = channelRoot(stored, parts.conversationId, parts.tenantId);
    const nameOf = (id: string) => displayName(this.core.kb, id);
    const tags = tagChoices(this.core.kb);
    const view = digestView(digest, nameOf, {
      moreWhere: 'in the next message(s)',
      tagChoices: tags,
      exportable: true,
    });
    const card = renderTeams(view);
    const sent = await this.surface.sendProactive(reference, card, view.fallback);
    if (!sent.ok) {
      const gone = sent.failure.removed || sent.failure.status === 404;
      return { ok: false, channelGone: gone, error: sent.failure.code };
    }
    const shown = new Set(shownItemKeys(digest.items, card, teamsUrl));
    const rest = digest.items.filter((d) => !shown.has(d.key));
    for (let i = 0; i < rest.length; i += MORE_CHUNK) {
      const items = rest.slice(i, i + MORE_CHUNK);
      const more = digestView({ ...digest, items }, nameOf, {
        all: true,
        title: `More of this digest (${i + 1}–${i + items.length} of ${rest.length})`,
        tagChoices: tags,
      });
      const moreCard = renderTeams(more);
      const followUp = await this.surface.sendProactive(reference, moreCard, more.fallback);
      if (!followUp.ok) break; // logged by the surface; these items come with the next digest
      for (const key of shownItemKeys(items, moreCard, teamsUrl)) shown.add(key);
    }
    return { ok: true, shownItems: [...shown], ...(sent.id ? { messageId: sent.id } : {}) };
  }
}

/**
 * The stored reference is of the message that last spoke to the bot: its conversation id may carry
 * `;messageid=<thread>` and its `activityId` makes botbuilder send a reply to that message. The digest
 * belongs to the channel (the key holds its bare id), so it is posted at the channel's root instead.
 */
function channelRoot(reference: object, conversationId: string, tenantId: string | undefined): object {
  const { activityId: _replyTo, ...rest } = reference as { activityId?: string; conversation?: object };
  return { ...rest, conversation: { ...rest.conversation, id: conversationId, ...(tenantId ? { tenantId } : {}) } };
}
