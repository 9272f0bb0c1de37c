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
    const sent = await this.surface.sendProactive(reference, renderTeams(view), view.fallback);
    if (sent.ok) return { ok: true, ...(sent.id ? { messageId: sent.id } : {}) };
    const gone = sent.failure.removed || sent.failure.status === 404;
    return { ok: false, channelGone: gone, error: sent.failure.code };
  }
}
