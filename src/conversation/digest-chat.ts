/**
 * `digest subscribe [HH:MM] [Area/City] [topic …] [always]`, `digest unsubscribe`, `digest status`,
 * `digest preview [all]`: the same words wherever the bot is asked.
 */
import type { Answer } from '../answer/answer.ts';
import { kbStamp } from '../answer/answer.ts';
import type { Core } from '../core.ts';
import type { DigestScheduler } from '../digest/scheduler.ts';
import { type DigestService, nextWindow } from '../digest/service.ts';
import { shownRecords } from '../digest/shown-records.ts';
import { displayName } from '../knowledge/knowledge-base.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { type Store, StoreError } from '../store/store.ts';
import type { DigestCommands, DigestReply, DigestRequest } from './digest-commands.ts';

export const DEFAULT_TIME = '08:00';
export const DEFAULT_ZONE = 'UTC';

function usage(here: string): string[] {
  return [
    `digest subscribe [HH:MM] [Area/City] [topic …] [always] — a daily digest in ${here} (default 08:00 UTC; “always” posts a line on days with nothing new)`,
    'digest status — the subscription, its next run and the last one',
    'digest preview [all] — what the next digest would show, only to you; nothing is posted',
    'digest unmute <tag> — show items led by a muted mechanism or agent again',
    'digest unsubscribe — stop the digest here',
  ];
}

/** “this channel” or “this chat”, and the same with a capital letter. */
function placeWords(request: DigestRequest): { here: string; Here: string } {
  const here = request.kind === 'chat' ? 'this chat' : 'this channel';
  return { here, Here: here[0]!.toUpperCase() + here.slice(1) };
}

export class DigestChat implements DigestCommands {
  private readonly logger: Logger;

  constructor(
    private readonly core: Core,
    private readonly store: Store,
    private readonly service: DigestService,
    private readonly scheduler: DigestScheduler | undefined,
    options: { logger?: Logger; now?: () => Date } = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
  }

  private readonly now: () => Date;

  async handle(request: DigestRequest): Promise<DigestReply> {
    const [word = 'status', ...rest] = request.args;
    const key = request.conversationKey;
    switch (word.toLowerCase()) {
      case 'subscribe':
        return this.subscribe(key, request, rest);
      case 'unsubscribe':
      case 'stop':
        return this.unsubscribe(key, request);
      case 'status':
        return this.status(key, request);
      case 'preview':
        return this.preview(key, rest[0]?.toLowerCase() === 'all');
      case 'unmute':
        return this.unmute(key, request, rest.join(' '));
      default:
        return this.reply(
          this.notice('Digest commands', `“${word}” is not a digest command.`, usage(placeWords(request).here)),
          true,
        );
    }
  }

  private async subscribe(key: string, request: DigestRequest, words: string[]): Promise<DigestReply> {
    const { here, Here } = placeWords(request);
    const USAGE = usage(here);
    let time = DEFAULT_TIME;
    let timeZone = DEFAULT_ZONE;
    let postNothingNew = false;
    const topicWords: string[] = [];
    for (const word of words) {
      if (/^\d{1,2}:\d{2}$/.test(word)) time = word.padStart(5, '0');
      else if (isTimeZone(word)) timeZone = word;
      else if (looksLikeTimeZone(word) && !this.service.resolveTopic(word)) {
        return this.reply(
          this.notice('Not subscribed', `“${word}” is an unknown time zone.`, [
            'Time zones are IANA names, Area/City: e.g. “Europe/Berlin”, “America/New_York”, “Asia/Tokyo”, or “UTC”.',
            ...USAGE,
          ]),
          true,
        );
      } else if (word.toLowerCase() === 'always') postNothingNew = true;
      else topicWords.push(word);
    }
    const topics: string[] = [];
    const unknown: string[] = [];
    for (const word of topicWords) {
      const id = this.service.resolveTopic(word);
      if (id) topics.push(id);
      else unknown.push(word);
    }
    if (unknown.length > 0) {
      return this.reply(
        this.notice(
          'Not subscribed',
          `I could not match ${unknown.map((w) => `“${w}”`).join(', ')} to a mechanism or agent.`,
          ['Topics are mechanism or agent names, e.g. “pi3k”, “p95”, “T-DM1”, “neratinib”.', ...USAGE],
        ),
        true,
      );
    }
    try {
      const sub = await this.store.subscriptions.subscribe({
        channelKey: key,
        time,
        timeZone,
        topics,
        postNothingNew,
        userId: request.userId,
      });
      await this.scheduler?.refresh(key);
      const topicNames = sub.topics.map((id) => displayName(this.core.kb, id) ?? id);
      return this.reply(
        this.notice(
          'Digest subscribed',
          `${Here} gets the HER2 resistance literature digest daily at ${sub.time} (${sub.timeZone}).`,
          [
            topicNames.length > 0 ? `Topics: ${topicNames.join(', ')}` : 'Topics: all mechanisms and agents',
            'The first digest covers the last 7 days; later ones, what is new since the one before.',
            sub.postNothingNew
              ? 'On days with nothing new, a short line says so.'
              : 'Days with nothing new post nothing.',
          ],
        ),
        false,
      );
    } catch (err) {
      if (err instanceof StoreError) return this.reply(this.notice('Not subscribed', err.message, USAGE), true);
      throw err;
    }
  }

  private async unsubscribe(key: string, request: DigestRequest): Promise<DigestReply> {
    const { here, Here } = placeWords(request);
    const changed = await this.store.subscriptions.unsubscribe(key);
    await this.scheduler?.refresh(key);
    return this.reply(
      changed
        ? this.notice('Digest stopped', `${Here} will get no more literature digests.`, [
            'Subscribe again any time with “digest subscribe”.',
          ])
        : this.notice('No digest here', `${Here} has no active digest subscription.`, usage(here)),
      false,
    );
  }

  private async status(key: string, request: DigestRequest): Promise<DigestReply> {
    const { here, Here } = placeWords(request);
    const sub = await this.store.subscriptions.get(key);
    if (!sub || sub.status === 'unsubscribed') {
      return this.reply(this.notice('No digest here', `${Here} has no digest subscription.`, usage(here)), true);
    }
    const last = await this.store.runs.lastSuccessfulRun(key);
    const next = sub.status === 'active' ? this.scheduler?.nextRun(key) : undefined;
    const details = [
      `Daily at ${sub.time} (${sub.timeZone})`,
      `Topics: ${sub.topics.length > 0 ? sub.topics.map((id) => displayName(this.core.kb, id) ?? id).join(', ') : 'all mechanisms and agents'}`,
      sub.status === 'dormant'
        ? `Paused since ${sub.dormant?.since.slice(0, 10)}: ${sub.dormant?.reason}. Invite the bot back and subscribe again.`
        : `Next digest: ${next ? next.toISOString().replace('T', ' ').slice(0, 16) : 'when the server next runs the schedule'} UTC`,
      last ? `Last digest: ${last.scheduledFor.slice(0, 10)} (${last.status})` : 'No digest posted yet.',
      ...(await this.mutesLine(key)),
    ];
    return this.reply(
      this.notice(
        sub.status === 'dormant' ? 'Digest paused' : 'Digest active',
        `The literature digest in ${here}:`,
        details,
      ),
      true,
    );
  }

  private async mutesLine(key: string): Promise<string[]> {
    const mutes = await this.store.mutes.list(key);
    if (mutes.length === 0) return [];
    const names = mutes.map((m) => displayName(this.core.kb, m.tag) ?? m.tag);
    return [`Muted (items led by these are left out): ${names.join(', ')}. “digest unmute <tag>” undoes one.`];
  }

  private async unmute(key: string, request: DigestRequest, words: string): Promise<DigestReply> {
    const { Here } = placeWords(request);
    const mutes = await this.store.mutes.list(key);
    const wanted = words.trim();
    const tag =
      mutes.find(
        (m) => m.tag === wanted || (displayName(this.core.kb, m.tag) ?? '').toLowerCase() === wanted.toLowerCase(),
      )?.tag ?? (wanted ? this.service.resolveTopic(wanted) : undefined);
    if (!tag || !(await this.store.mutes.unmute(key, tag))) {
      const muted = mutes.map((m) => displayName(this.core.kb, m.tag) ?? m.tag);
      return this.reply(
        this.notice('Nothing unmuted', wanted ? `“${wanted}” is not muted here.` : 'Say which tag to unmute.', [
          muted.length > 0 ? `Muted here: ${muted.join(', ')}` : `${Here} has nothing muted.`,
        ]),
        true,
      );
    }
    const name = displayName(this.core.kb, tag) ?? tag;
    return this.reply(this.notice('Unmuted', `${Here}’s digest shows items led by ${name} again.`, []), false);
  }

  private async preview(key: string, all: boolean): Promise<DigestReply> {
    const sub = await this.store.subscriptions.get(key);
    const zone = sub?.timeZone ?? DEFAULT_ZONE;
    const last = sub ? await this.store.runs.lastSuccessfulRun(key) : undefined;
    const window = nextWindow(last?.window?.until.slice(0, 10), this.now(), zone);
    const digest = await this.service.compute(window, {
      ...(sub ? { topics: [...sub.topics] } : {}),
      unposted: (keys) => this.store.postedItems.filterUnposted(key, keys),
      muted: (await this.store.mutes.list(key)).map((m) => m.tag),
    });
    await this.store.digestItems.save(shownRecords(digest.items, digest.kb.version));
    this.logger.debug({ key, items: digest.items.length }, 'digest preview');
    const answer: Answer = {
      type: 'digest',
      digest,
      all,
      title: 'Digest preview (only you see this; nothing is posted)',
      kb: kbStamp(this.core.kb),
    };
    return this.reply(answer, true);
  }

  private notice(title: string, message: string, details: string[]): Answer {
    return { type: 'notice', title, message, details, kb: kbStamp(this.core.kb) };
  }

  private reply(answer: Answer, isPrivate: boolean): DigestReply {
    return { answer, private: isPrivate };
  }
}

/** Shaped like an IANA zone name (Area/City, or UTC), whether or not such a zone exists. */
function looksLikeTimeZone(word: string): boolean {
  return /^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+$/.test(word) || word.toUpperCase() === 'UTC';
}

export function isTimeZone(word: string): boolean {
  if (!looksLikeTimeZone(word)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: word });
    return true;
  } catch {
    return false;
  }
}
