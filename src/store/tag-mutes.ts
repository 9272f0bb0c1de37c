/**
 * Tags a subscription asked to see fewer of ("fewer like this" after two "Not relevant" presses).
 * The digest leaves out an item whose every tag is muted; `digest unmute <tag>` deletes the row.
 */
import type Database from 'better-sqlite3';
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
    private readonly db: Database.Database,
    private readonly now: Clock,
  ) {}

  /** Mutes a tag; muting it again keeps who muted it first and when. True if it was not muted before. */
  mute(channelKey: ChannelKey, tag: string, userId: string): boolean {
    const { changes } = this.db
      .prepare(
        'INSERT INTO tag_mutes (channel_key, tag, muted_by, muted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(checkKey(channelKey, 'channel key'), checkTag(tag), checkKey(userId, 'user id'), this.now().toISOString());
    return changes > 0;
  }

  /** False if the tag was not muted. */
  unmute(channelKey: ChannelKey, tag: string): boolean {
    return this.db.prepare('DELETE FROM tag_mutes WHERE channel_key = ? AND tag = ?').run(channelKey, tag).changes > 0;
  }

  list(channelKey: ChannelKey): TagMute[] {
    return this.db
      .prepare<[string], Row>('SELECT * FROM tag_mutes WHERE channel_key = ? ORDER BY muted_at, tag')
      .all(channelKey)
      .map((r) => ({ channelKey: r.channel_key, tag: r.tag, mutedBy: r.muted_by, mutedAt: r.muted_at }));
  }
}
