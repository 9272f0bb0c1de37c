/**
 * Block Kit for Slack. The block structure is typed code; the text of each block comes from
 * `templates/slack/` with every value escaped for mrkdwn first. Slack's limits are enforced here, by
 * truncating or dropping what does not fit, so a card is never rejected:
 * at most 50 blocks, header 150 characters, section text 3,000, 10 fields of 2,000, button text 75,
 * button value 2,000, unique action ids, and a plain `text` fallback on every message.
 */
import type { ActionsBlock, Button, ContextBlock, KnownBlock, Overflow, SectionBlock } from '@slack/types';
import { type ActionPayload, clipQuery } from '../answer/actions.ts';
import { encodeExport } from '../answer/export-payload.ts';
import { encodeFeedback, type FeedbackPayload } from '../answer/feedback-payload.ts';
import type { CardAction, CardView, ExportOffer, Syntax } from './card-view.ts';
import { escapeView, slackText, slackUrl } from './escape.ts';
import { truncate } from './format.ts';
import { templatesFor } from './templates.ts';

export const SLACK_LIMITS = {
  blocks: 50,
  header: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  actionsElements: 25,
  contextElements: 10,
  fallbackText: 3000,
} as const;

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface SlackRenderOptions {
  /** Adds "Share to channel" (for ephemeral answers to /her2). */
  shareable?: boolean;
}

/** Slack's own way to ask: the slash command, with the mention and the app's Messages tab as the alternatives. */
export const SLACK_SYNTAX: Syntax = {
  prefix: '/her2 ',
  question: '<question>',
  elsewhere: 'In a channel, @-mention the bot with the same words; in its Messages tab, just type them.',
};

/** Every action id this renderer can produce starts with this; handlers register one pattern. */
export const SLACK_ACTION_PREFIX = 'her2_';

const render = () => templatesFor('slack');

/**
 * Every mrkdwn text object marked `verbatim`: Slack then turns no bare URL, #channel or @name in it into
 * a link or a mention; our own links are explicit <url|label> and still work.
 */
function verbatim<T>(blocks: T): T {
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') o.verbatim = true;
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(blocks);
  return blocks;
}

export function renderSlack(plain: CardView, options: SlackRenderOptions = {}): SlackMessage {
  const view = escapeView(plain, slackText, slackUrl);
  const t = render();
  const head: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(plain.title, SLACK_LIMITS.header), emoji: false } },
  ];
  if (plain.query) {
    // The user's words as plain_text: Slack applies no formatting and resolves no mentions in it.
    head.push(
      context([{ type: 'plain_text', text: truncate(`You asked: ${plain.query}`, SLACK_LIMITS.header), emoji: false }]),
    );
  }
  if (view.summary || view.subtitle)
    head.push(section(t('summary', { subtitle: view.subtitle ?? '', summary: view.summary ?? '' })));
  if (view.facts.length > 0) {
    head.push({
      type: 'section',
      fields: view.facts.slice(0, SLACK_LIMITS.fields).map((f) => ({
        type: 'mrkdwn' as const,
        text: truncate(t('fact', f).trim(), SLACK_LIMITS.fieldText),
      })),
    });
  }

  const ids = new ActionIds();
  const body: KnownBlock[] = [];
  for (const [i, s] of view.sections.entries()) {
    if (s.heading) body.push(section(`*${s.heading}*`));
    for (const [j, item] of s.items.entries()) {
      const block = section(t('item', item));
      if (item.id) block.accessory = button('Open', { a: 'open', id: item.id }, ids);
      else if (item.feedbackRef) block.accessory = itemFeedback(item.feedbackRef, ids);
      body.push(block);
      // "new data on CLEOPATRA" opens the entry's card for the clicker (the item's accessory is its feedback).
      const entry = plain.sections[i]?.items[j]?.entry;
      if (entry) body.push({ type: 'actions', elements: [button(entry.label, { a: 'show', id: entry.id }, ids)] });
    }
  }
  if (view.links.length > 0) body.push(section(`*Sources* ${t('sources', { links: view.links }).trim()}`));
  if (view.notes.length > 0)
    body.push(
      context([{ type: 'mrkdwn', text: truncate(t('notes', { notes: view.notes }).trim(), SLACK_LIMITS.sectionText) }]),
    );

  const tail: KnownBlock[] = [];
  const buttons = [...plain.actions];
  if (options.shareable && plain.ref)
    buttons.push({ label: 'Share to channel', payload: { ...plain.ref, a: 'share' } });
  if (plain.reportKey) buttons.push({ label: 'Report a problem', feedback: { f: 'rp', k: plain.reportKey } });
  if (buttons.length > 0 || plain.exportOffer) {
    const actions: ActionsBlock = {
      type: 'actions',
      elements: [
        ...buttons.map((b) => actionButton(b, ids)),
        ...(plain.exportOffer ? exportControls(plain.exportOffer, ids) : []),
      ].slice(0, SLACK_LIMITS.actionsElements),
    };
    tail.push(actions);
  }
  tail.push(context([{ type: 'mrkdwn', text: t('footer', view.footer).trim() }]));

  return { text: fallbackText(plain), blocks: verbatim(fitToLimit(head, body, tail)) };
}

/** Keeps the head and tail whole and cuts the body to fit the block limit, saying so. */
function fitToLimit(head: KnownBlock[], body: KnownBlock[], tail: KnownBlock[]): KnownBlock[] {
  const room = SLACK_LIMITS.blocks - head.length - tail.length;
  if (body.length <= room) return [...head, ...body, ...tail];
  const kept = body.slice(0, room - 1);
  const dropped = body.length - kept.length;
  kept.push(context([{ type: 'mrkdwn', text: `…${dropped} more not shown here: use *Evidence* or *More results*.` }]));
  return [...head, ...kept, ...tail];
}

function section(text: string): SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncateLines(text.trim() || ' ', SLACK_LIMITS.sectionText) },
  };
}

function context(elements: ContextBlock['elements']): ContextBlock {
  return { type: 'context', elements: elements.slice(0, SLACK_LIMITS.contextElements) };
}

function actionButton(action: CardAction, ids: ActionIds): Button {
  if (action.url) {
    return {
      type: 'button',
      text: { type: 'plain_text', text: truncate(action.label, SLACK_LIMITS.buttonText), emoji: false },
      url: slackUrl(action.url),
      action_id: ids.next('link'),
    };
  }
  if (action.feedback) return feedbackButton(action.label, action.feedback, ids);
  const b = button(action.label, action.payload ?? { a: 'help' }, ids);
  if (action.style === 'primary') b.style = 'primary';
  return b;
}

function button(label: string, payload: ActionPayload, ids: ActionIds): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(label, SLACK_LIMITS.buttonText), emoji: false },
    action_id: ids.next(payload.a),
    value: encodePayload(payload),
  };
}

/** A feedback control's action id: her2_fb_<n>, one listener for all of them. */
function feedbackButton(label: string, payload: FeedbackPayload, ids: ActionIds): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(label, SLACK_LIMITS.buttonText), emoji: false },
    action_id: ids.next('fb'),
    value: encodeFeedback(payload),
  };
}

/** A digest item's feedback as an overflow menu: it fits in the item's own block, so no block is added. */
function itemFeedback(ref: string, ids: ActionIds): Overflow {
  const option = (text: string, f: FeedbackPayload['f']) => ({
    text: { type: 'plain_text' as const, text, emoji: false },
    value: encodeFeedback({ f, r: ref }),
  });
  return {
    type: 'overflow',
    action_id: ids.next('fb'),
    options: [option('Useful', 'u'), option('Not relevant', 'nr'), option('Wrong tags…', 'wt')],
  };
}

/**
 * "Export this week": a button for the default format and an overflow menu for the others, so every
 * press sends a file (a select would not fire again for the format it already shows). Action ids
 * her2_export_<n>, one listener for both.
 */
function exportControls(offer: ExportOffer, ids: ActionIds): (Button | Overflow)[] {
  const [first, ...others] = offer.choices;
  if (!first) return [];
  const plainText = (text: string) => ({
    type: 'plain_text' as const,
    text: truncate(text, SLACK_LIMITS.buttonText),
    emoji: false,
  });
  const controls: (Button | Overflow)[] = [
    {
      type: 'button',
      text: plainText(`${offer.label} (${first.short})`),
      action_id: ids.next('export'),
      value: encodeExport({ x: first.format }),
    },
  ];
  if (others.length > 0) {
    controls.push({
      type: 'overflow',
      action_id: ids.next('export'),
      options: others.map((c) => ({
        text: plainText(`${offer.label} as ${c.label}`),
        value: encodeExport({ x: c.format }),
      })),
    });
  }
  return controls;
}

/** JSON within Slack's 2,000-character value limit (the query is the only part that can grow). */
export function encodePayload(payload: ActionPayload): string {
  let encoded = JSON.stringify(payload);
  if (encoded.length > SLACK_LIMITS.buttonValue && payload.q) {
    encoded = JSON.stringify({ ...payload, q: clipQuery(payload.q) });
  }
  return encoded;
}

/** action ids unique within a message: her2_<action>_<n>. */
class ActionIds {
  private n = 0;
  next(kind: string): string {
    this.n += 1;
    return `${SLACK_ACTION_PREFIX}${kind}_${this.n}`;
  }
}

/** Cuts at a line boundary when one is near, so a cut never splits a link. */
function truncateLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const newline = cut.lastIndexOf('\n');
  return `${newline > max * 0.5 ? cut.slice(0, newline) : truncate(text, max - 2)}\n…`;
}

/** The notification and screen-reader text: mrkdwn too, so it is escaped like everything else. */
function fallbackText(view: CardView): string {
  return truncate(slackText(`${view.fallback} · ${view.footer.disclaimer}`), SLACK_LIMITS.fallbackText);
}

/**
 * A compact evidence card for a link unfurl: what the study shows, with what level, and which
 * mechanisms and agents it supports.
 */
export function renderSlackUnfurl(plain: CardView): KnownBlock[] {
  const view = escapeView(plain, slackText, slackUrl);
  const t = render();
  const supports = view.sections.find((s) => s.role === 'supports')?.items.map((i) => i.title) ?? [];
  const key = view.sections.find((s) => s.role === 'results')?.items[0]?.text;
  const lines = [`*${view.title}* · _${view.subtitle ?? ''}_`, key ?? view.summary ?? ''];
  if (supports.length > 0) lines.push(`Supports: ${supports.join(', ')}`);
  const level = view.facts.find((f) => f.role === 'level')?.value;
  if (level) lines.push(`Evidence level ${level}`);
  return verbatim([
    section(lines.filter(Boolean).join('\n')),
    context([{ type: 'mrkdwn', text: t('footer', view.footer).trim() }]),
  ]);
}
