/**
 * Readers' feedback, for every surface: a press on a digest item (Useful, Not relevant, Wrong tags)
 * or on an answer card (Report a problem) is stored with the item as it was shown, and answered
 * with a short acknowledgement meant for the person who pressed only. The second "Not relevant" on
 * items carrying one tag in a channel offers to mute that tag there ("fewer like this"); the offer
 * names that press, so it mutes in that channel wherever it is accepted.
 */
import { type Answer, kbStamp } from '../answer/answer.ts';
import type { FeedbackPayload } from '../answer/feedback-payload.ts';
import type { Core } from '../core.ts';
import { displayName } from '../knowledge/knowledge-base.ts';
import { type Logger, silentLogger } from '../logger.ts';
import type { Feedback, FeedbackAction, Store } from '../store/store.ts';
import { type TagChoice, tagChoices } from './tags.ts';

/** How many "Not relevant" presses on one tag in one channel before "fewer like this" is offered. */
export const MUTE_OFFER_AFTER = 2;

export interface FeedbackPress {
  /** `slack`, `teams`. */
  surface: string;
  conversationKey: string;
  userId: string;
  payload: FeedbackPayload;
  /** Wrong tags: what the reader picked to remove and to add. */
  tagsRemoved?: readonly string[];
  tagsAdded?: readonly string[];
  /** Report a problem: what the reader wrote. */
  text?: string | undefined;
}

/** What "Wrong tags" offers for one item: its tags as shown, and every tag of the knowledge base. */
export interface TagPicker {
  ref: string;
  title: string;
  shown: TagChoice[];
  all: TagChoice[];
}

const VERB_ACTIONS: Record<'u' | 'nr' | 'wt' | 'rp', FeedbackAction> = {
  u: 'useful',
  nr: 'not_relevant',
  wt: 'wrong_tags',
  rp: 'report',
};

export class FeedbackDesk {
  private readonly logger: Logger;

  constructor(
    private readonly core: Core,
    private readonly store: Store,
    options: { logger?: Logger } = {},
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  tagChoices(): TagChoice[] {
    return tagChoices(this.core.kb);
  }

  async tagPicker(ref: string): Promise<TagPicker | undefined> {
    const shown = await this.store.digestItems.get(ref);
    if (!shown) return undefined;
    return {
      ref,
      title: String(shown.item.title ?? shown.itemKey),
      shown: shown.tags.map((id) => ({ id, name: this.nameOf(id) })),
      all: this.tagChoices(),
    };
  }

  /** Stores a press and returns the acknowledgement for the person who pressed. Never throws. */
  async press(press: FeedbackPress): Promise<Answer> {
    try {
      return press.payload.f === 'mute' ? await this.mute(press) : await this.record(press);
    } catch (err) {
      this.logger.error({ err, verb: press.payload.f }, 'feedback could not be stored');
      return this.core.error('Your feedback could not be saved. Please try again later.');
    }
  }

  private async record(press: FeedbackPress): Promise<Answer> {
    const { payload } = press;
    const verb = payload.f as keyof typeof VERB_ACTIONS;
    const action = VERB_ACTIONS[verb];
    const base = {
      userId: press.userId,
      surface: press.surface,
      conversationKey: press.conversationKey,
      kbVersion: this.core.kb.version,
    };
    if (action === 'report') {
      const text = press.text?.trim();
      if (!text) return this.ack('Nothing sent', 'The report was empty, so nothing was saved.');
      const key = payload.k ?? 'card';
      await this.store.feedback.record({
        ...base,
        itemKey: `answer:${key}`,
        itemTitle: displayName(this.core.kb, key) ?? key,
        action,
        text,
      });
      return this.ack('Thank you', 'Your report was saved for the knowledge base’s curators.');
    }
    const shown = payload.r ? await this.store.digestItems.get(payload.r) : undefined;
    if (!shown) return this.core.error('That digest item is no longer known here, so nothing was saved.');
    const known = new Set(this.tagChoices().map((t) => t.id));
    const pick = (ids: readonly string[] | undefined) => [...new Set(ids ?? [])].filter((id) => known.has(id));
    const saved = await this.store.feedback.record({
      ...base,
      itemKey: shown.itemKey,
      itemTitle: String(shown.item.title ?? ''),
      action,
      tags: shown.tags,
      reasons: shown.reasons,
      ...(action === 'wrong_tags'
        ? {
            tagsRemoved: pick(press.tagsRemoved).filter((t) => shown.tags.includes(t)),
            tagsAdded: pick(press.tagsAdded),
          }
        : {}),
    });
    if (action === 'useful') return this.ack('Thank you', 'Noted as useful.');
    if (action === 'wrong_tags')
      return this.ack('Thank you', 'Your corrections to the tags were saved for the curators.');
    return this.ack('Thank you', 'Noted as not relevant.', await this.muteOffers(saved));
  }

  /**
   * The tags of a Not relevant press that reached the threshold in its conversation and are not muted
   * there yet, when the conversation has a digest. Each offer names the press.
   */
  private async muteOffers(pressed: Feedback) {
    const { conversationKey } = pressed;
    if (!(await this.subscribed(conversationKey))) return [];
    const muted = new Set((await this.store.mutes.list(conversationKey)).map((m) => m.tag));
    const offers: { label: string; feedback: FeedbackPayload }[] = [];
    for (const tag of pressed.tags) {
      if (muted.has(tag)) continue;
      if ((await this.store.feedback.countNotRelevant(conversationKey, tag)) >= MUTE_OFFER_AFTER) {
        offers.push({ label: `Fewer like this: ${this.nameOf(tag)}`, feedback: { f: 'mute', t: tag, n: pressed.id } });
      }
    }
    return offers;
  }

  private async mute(press: FeedbackPress): Promise<Answer> {
    const tag = press.payload.t!;
    const conversationKey = await this.offeredIn(press);
    if (!conversationKey) return this.ack('Nothing muted', 'That offer is out of date, so nothing was muted.');
    if (!(await this.subscribed(conversationKey)) || !this.tagChoices().some((t) => t.id === tag)) {
      return this.ack('Nothing muted', 'There is no digest subscription there to mute it in.');
    }
    await this.store.mutes.mute(conversationKey, tag, press.userId);
    const name = this.nameOf(tag);
    return this.ack(
      'Muted',
      `The digest where you marked it not relevant will leave out items led by ${name}.`,
      [],
      [`There, “digest status” lists what is muted; “digest unmute ${name}” undoes it.`],
    );
  }

  /**
   * The conversation a "Fewer like this" mutes in: the one of the Not relevant press that offered it,
   * not where it is pressed (in Teams, the person's personal chat). Only the person who made that
   * press can use it, only for a tag of that item, and only once the tag reached the threshold there.
   */
  private async offeredIn(press: FeedbackPress): Promise<string | undefined> {
    const { t: tag, n: id } = press.payload;
    const made = id === undefined ? undefined : await this.store.feedback.get(id);
    if (!made || !tag || made.action !== 'not_relevant' || !made.tags.includes(tag)) return undefined;
    if (made.userId !== press.userId || made.surface !== press.surface) return undefined;
    const count = await this.store.feedback.countNotRelevant(made.conversationKey, tag);
    return count >= MUTE_OFFER_AFTER ? made.conversationKey : undefined;
  }

  private async subscribed(conversationKey: string): Promise<boolean> {
    const sub = await this.store.subscriptions.get(conversationKey);
    return sub !== undefined && sub.status !== 'unsubscribed';
  }

  private ack(
    title: string,
    message: string,
    offers: { label: string; feedback: FeedbackPayload }[] = [],
    details: string[] = [],
  ): Answer {
    return {
      type: 'notice',
      title,
      message,
      details: [...details, 'Only you see this reply.'],
      ...(offers.length > 0 ? { offers } : {}),
      kb: kbStamp(this.core.kb),
    };
  }

  private nameOf(id: string): string {
    return displayName(this.core.kb, id) ?? id;
  }
}
