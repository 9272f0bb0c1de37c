/** How a digest reaches a channel: one poster per platform, implemented in handlers/. */
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
  post(channelKey: string, digest: Digest): Promise<PostResult>;
}

/**
 * The digest posters of the surfaces this process can post to, by the surface a channel key names
 * (`slack:…`, `teams:…`). The composition root registers them; the scheduler and the CLI look them up.
 */
export class DigestPosters {
  private readonly bySurface = new Map<string, DigestPoster>();

  register(surface: string, poster: DigestPoster): this {
    this.bySurface.set(surface, poster);
    return this;
  }

  get(surface: string): DigestPoster | undefined {
    return this.bySurface.get(surface);
  }

  get surfaces(): string[] {
    return [...this.bySurface.keys()];
  }
}
