/**
 * Tags a subscription asked to see fewer of ("fewer like this" after two "Not relevant" presses).
 * The digest leaves out an item whose every tag is muted; `digest unmute <tag>` deletes the row.
 */
import type { Executor } from './engine.ts';
import { type ChannelKey, type Clock, checkKey, checkTag } from './values.ts';

export interface TagMute {
  readonly channelKey: ChannelKey;
  readonly tag: string;
  readonly mutedBy: string;
  readonly mutedAt: string;
}

interface Row {
  channel_key: string;
  tag: string;
  muted_by: string;
  muted_at: string;
}

export class TagMuteRepository {
  constructor(
    private readonly db: Executor,
    private readonly now: Clock,
  ) {}

  /** Mutes a tag; muting it again keeps who muted it first and when. True if it was not muted before. */
  async mute(channelKey: ChannelKey, tag: string, userId: string): Promise<boolean> {
    const changes = await this.db.run(
      `INSERT INTO tag_mutes (channel_key, tag, muted_by, muted_at) VALUES (@channelKey, @tag, @userId, @at)
       ON CONFLICT DO NOTHING`,
      {
        channelKey: checkKey(channelKey, 'channel key'),
        tag: checkTag(tag),
        userId: checkKey(userId, 'user id'),
        at: this.now().toISOString(),
      },
    );
    return changes > 0;
  }

  /** False if the tag was not muted. */
  async unmute(channelKey: ChannelKey, tag: string): Promise<boolean> {
    return (
      (await this.db.run('DELETE FROM tag_mutes WHERE channel_key = @channelKey AND tag = @tag', { channelKey, tag })) >
      0
    );
  }

  async list(channelKey: ChannelKey): Promise<TagMute[]> {
    const rows = await this.db.all<Row>(
      'SELECT * FROM tag_mutes WHERE channel_key = @channelKey ORDER BY muted_at, tag',
      {
        channelKey,
      },
    );
    return rows.map((r) => ({ channelKey: r.channel_key, tag: r.tag, mutedBy: r.muted_by, mutedAt: r.muted_at }));
  }
}
