/** How a digest reaches a channel: one poster per surface, implemented in handlers/. */
import type { Digest } from './compose.ts';

export type PostResult =
  | {
      ok: true;
      messageId?: string;
      /**
       * The `key` of every digest item a message the platform confirmed shows. Only these are recorded
       * as posted; the rest come again with the next digest.
       */
      shownItems: string[];
    }
  /** `channelGone`: the bot was removed or the channel no longer exists; stop posting there. */
  | { ok: false; channelGone: boolean; error: string };

export interface DigestPoster {
  /** True for a channel key its surface built: keys are opaque here, and only the surface reads its own. */
  owns(channelKey: string): boolean;
  post(channelKey: string, digest: Digest): Promise<PostResult>;
}

/**
 * The digest posters of the surfaces this process can post to. The composition root registers them;
 * the scheduler and the CLI ask for the one that owns a channel's key.
 */
export class DigestPosters {
  private readonly posters: DigestPoster[] = [];

  register(poster: DigestPoster): this {
    this.posters.push(poster);
    return this;
  }

  /** The poster for a channel, or undefined when no surface on this server owns its key. */
  forKey(channelKey: string): DigestPoster | undefined {
    return this.posters.find((p) => p.owns(channelKey));
  }
}
