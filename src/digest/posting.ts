/** How a digest reaches a channel: one poster per platform, implemented in handlers/. */
import type { Digest } from './compose.ts';

export type PostResult =
  | { ok: true; messageId?: string }
  /** `channelGone`: the bot was removed or the channel no longer exists; stop posting there. */
  | { ok: false; channelGone: boolean; error: string };

export interface DigestPoster {
  post(channelKey: string, digest: Digest): Promise<PostResult>;
}
