/**
 * Adaptive Cards for Teams: 1.5 in conversations (the newest version Teams renders, on desktop and
 * mobile), 1.3 for what the compose box inserts (link unfurls and message-extension results, which
 * Microsoft documents up to 1.3). Structure in typed code, text from `templates/teams/` with
 * knowledge-base text markdown-escaped; the user's own words go in a TextRun, which Teams never reads
 * as markdown. Cards are kept under 28 KB by dropping detail from the end, with a line that says so.
 * Nothing here needs more than 1.3 (ActionSet and RichTextBlock are 1.2).
 */
import type { ActionPayload } from '../answer/actions.ts';
import type { FeedbackPayload } from '../answer/feedback-payload.ts';
import { MAX_REPORT_LENGTH } from '../store/feedback.ts';
import type { CardView, ExportOffer, Syntax } from './card-view.ts';
import { escapeView, teamsText, teamsUrl } from './escape.ts';
import { truncate } from './format.ts';
import { templatesFor } from './templates.ts';

export const TEAMS_CARD_VERSION = '1.5';
/** Link unfurls and message-extension results. */
export const TEAMS_COMPOSE_CARD_VERSION = '1.3';
export type TeamsCardVersion = typeof TEAMS_CARD_VERSION | typeof TEAMS_COMPOSE_CARD_VERSION;
export const TEAMS_MAX_BYTES = 28 * 1024;

export type CardElement = Record<string, unknown> & { type: string };

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  actions?: CardElement[];
  msteams?: { width: 'Full' };
}

/** The bot's name in Teams (the app manifest's short name), as people @-mention it. */
export const TEAMS_BOT_NAME = 'HER2 Bot';

/**
 * How to ask in Teams: an @-mention in a channel or group chat, plain words in a personal chat.
 * Never `<…>`, which Teams reads as markup and drops.
 */
export function teamsSyntax(shared: boolean, botName = TEAMS_BOT_NAME): Syntax {
  // One object per way of asking: renderers cache cards by it, so a new object per message would
  // render every card again (and grow the cache).
  const key = `${shared}|${botName}`;
  let syntax = syntaxes.get(key);
  if (!syntax) {
    syntax = buildTeamsSyntax(shared, botName);
    if (syntaxes.size < MAX_SYNTAXES) syntaxes.set(key, syntax);
  }
  return syntax;
}

const syntaxes = new Map<string, Syntax>();
/** Bot names come from activities; a bound keeps a flood of odd names from growing the map. */
const MAX_SYNTAXES = 64;

function buildTeamsSyntax(shared: boolean, botName: string): Syntax {
  return shared
    ? {
        prefix: `@${botName} `,
        question: 'your question',
        elsewhere: `In a personal chat with ${botName}, type the same words without the mention.`,
      }
    : {
        prefix: '',
        question: 'your question',
        elsewhere: `In a channel or group chat, @-mention ${botName} with the same words.`,
      };
}

/**
 * Data of an Action.Submit: our payload under one key, so other submits are easy to tell apart, and
 * the card it was clicked on (`back`), so the card that replaces it in place can offer Back.
 */
export interface TeamsSubmitData {
  her2: ActionPayload;
  back?: ActionPayload;
}

/** Data of a feedback Action.Submit; the inputs of its form (item, remove, add, text) come beside it. */
export interface TeamsFeedbackData {
  her2fb: FeedbackPayload;
}

/** Data of the "Export this week" submit; the form's `format` input comes beside it. */
export interface TeamsExportData {
  her2export: 'week';
}

/** The id of the export form's format choice (its value arrives beside TeamsExportData). */
export const EXPORT_FORMAT_INPUT = 'format';

export interface TeamsRenderOptions {
  /** Adds a Back button that re-opens this card (on a card that replaced another in place). */
  back?: ActionPayload;
  /** 1.5 unless the card goes through the compose box (TEAMS_COMPOSE_CARD_VERSION). */
  version?: TeamsCardVersion;
}

export function renderTeams(plain: CardView, options: TeamsRenderOptions = {}): AdaptiveCard {
  const submit = (title: string, payload: ActionPayload): CardElement => {
    const data: TeamsSubmitData = { her2: payload, ...(plain.ref ? { back: plain.ref } : {}) };
    return { type: 'Action.Submit', title, data };
  };
  const view = escapeView(plain, teamsText, teamsUrl);
  const t = templatesFor('teams');
  const head: CardElement[] = [text(truncate(view.title, 200), { size: 'Large', weight: 'Bolder' })];
  if (view.subtitle) head.push(text(view.subtitle, { isSubtle: true, spacing: 'None' }));
  if (plain.query) {
    head.push({
      type: 'RichTextBlock',
      inlines: [{ type: 'TextRun', text: `You asked: ${plain.query}`, isSubtle: true, italic: true }],
    });
  }
  if (view.summary) head.push(text(t('summary', view).trim()));
  if (view.facts.length > 0) {
    head.push({ type: 'FactSet', facts: view.facts.map((f) => ({ title: f.label, value: f.value })) });
  }

  const sections: CardElement[] = view.sections.map((s, i) => ({
    type: 'Container',
    separator: true,
    items: [
      ...(s.heading ? [text(s.heading, { weight: 'Bolder' })] : []),
      ...s.items.map((item, j) => {
        const lines: CardElement[] = [];
        // An item with a card of its own is headed by a button named after it (not a clickable
        // container: its text has links of its own, and every container would be named "Open"). The
        // name is the plain title: button titles are not markdown.
        if (item.id) {
          const name = truncate(plain.sections[i]?.items[j]?.title ?? item.id, 80);
          lines.push({ type: 'ActionSet', actions: [submit(name, { a: 'open', id: item.id })] });
        }
        // The button already names the item: its link, if any, is shown by the link's own label ("PubMed").
        const shown = item.id ? { ...item, title: item.link?.label ?? '' } : item;
        if (shown.title || shown.text) lines.push(text(t('item', shown).trim(), item.id ? { spacing: 'Small' } : {}));
        for (const e of item.evidence)
          lines.push(text(t('evidence-line', e).trim(), { size: 'Small', spacing: 'Small' }));
        // "new data on CLEOPATRA" opens the entry's card for the clicker only; the digest stays as it is.
        const entry = plain.sections[i]?.items[j]?.entry;
        if (entry) {
          const data: TeamsSubmitData = { her2: { a: 'show', id: entry.id } };
          const open = { type: 'Action.Submit', title: truncate(entry.label, 80), data };
          lines.push({ type: 'ActionSet', spacing: 'Small', actions: [open] });
        }
        if (item.feedbackRef) lines.push(itemFeedback(item.feedbackRef));
        return { type: 'Container', items: lines };
      }),
    ],
  }));

  const tail: CardElement[] = [];
  if (view.links.length > 0) tail.push(text(`Sources: ${t('sources', view).trim()}`, { size: 'Small' }));
  if (view.notes.length > 0) tail.push(text(t('notes', view).trim(), { size: 'Small', isSubtle: true }));
  tail.push(text(t('footer', view.footer).trim(), { size: 'Small', isSubtle: true, separator: true }));

  const actions = plain.actions.map((a) =>
    a.url
      ? { type: 'Action.OpenUrl', title: a.label, url: teamsUrl(a.url) }
      : a.feedback
        ? feedbackSubmit(a.label, a.feedback)
        : submit(a.label, a.payload ?? { a: 'help' }),
  );
  if (plain.tagForm) actions.push(wrongTagsForm(plain.tagForm));
  if (plain.exportOffer) actions.push(exportForm(plain.exportOffer));
  if (plain.reportKey) actions.push(reportForm(plain.reportKey));
  if (options.back) actions.unshift({ type: 'Action.Submit', title: 'Back', data: { her2: options.back } });
  return fitToLimit(head, sections, tail, actions, options.version ?? TEAMS_CARD_VERSION);
}

function feedbackSubmit(title: string, payload: FeedbackPayload): CardElement {
  const data: TeamsFeedbackData = { her2fb: payload };
  return { type: 'Action.Submit', title, data };
}

/** Useful and Not relevant under each digest item: small buttons, acknowledged to the clicker only. */
function itemFeedback(ref: string): CardElement {
  return {
    type: 'ActionSet',
    spacing: 'Small',
    actions: [feedbackSubmit('Useful', { f: 'u', r: ref }), feedbackSubmit('Not relevant', { f: 'nr', r: ref })],
  };
}

/**
 * One "Wrong tags" form per card (a form per item would cost the card's size limit): which item, the
 * tags to remove (those the card's items carry) and the tags to add (the knowledge base's list).
 * Choice titles are plain text. The lists are multi-select dropdowns (`compact`): Teams also renders
 * a typeahead `filtered` style (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/dynamic-search),
 * but the schema has it only from Adaptive Cards 1.6 and Teams renders cards up to 1.5, so the card
 * would have to claim a version Teams refuses or break the schema of its own.
 */
function wrongTagsForm(form: NonNullable<CardView['tagForm']>): CardElement {
  const choice = (t: { id: string; name: string }) => ({ title: truncate(t.name, 60), value: t.id });
  const carried = new Set(form.items.flatMap((i) => i.tags));
  const removable = form.tags.filter((t) => carried.has(t.id));
  const chooser = (id: string, label: string, tags: readonly { id: string; name: string }[]) => ({
    type: 'Input.ChoiceSet',
    id,
    label,
    isMultiSelect: true,
    style: 'compact',
    choices: tags.map(choice),
  });
  return {
    type: 'Action.ShowCard',
    title: 'Wrong tags',
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.ChoiceSet',
          id: 'item',
          label: 'Which item',
          isRequired: true,
          errorMessage: 'Pick the item whose tags are wrong.',
          choices: form.items.map((i) => ({ title: truncate(i.title, 80), value: i.ref })),
        },
        ...(removable.length > 0 ? [chooser('remove', 'Tags to remove', removable)] : []),
        chooser('add', 'Tags to add', form.tags),
      ],
      actions: [{ type: 'Action.Submit', title: 'Send', data: { her2fb: { f: 'wt' } } }],
    },
  };
}

/** "Export this week": the format (the default preselected) and a submit; the file comes privately. */
function exportForm(offer: ExportOffer): CardElement {
  const data: TeamsExportData = { her2export: 'week' };
  return {
    type: 'Action.ShowCard',
    title: offer.label,
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.ChoiceSet',
          id: EXPORT_FORMAT_INPUT,
          label: 'Format',
          style: 'expanded',
          isRequired: true,
          errorMessage: 'Pick a format.',
          value: offer.choices[0]?.format ?? '',
          choices: offer.choices.map((c) => ({ title: c.label, value: c.format })),
        },
        {
          type: 'TextBlock',
          text: 'The digest items posted here in the last 7 days; the download link comes only to you.',
          wrap: true,
          size: 'Small',
          isSubtle: true,
        },
      ],
      actions: [{ type: 'Action.Submit', title: 'Send me the file', data }],
    },
  };
}

/** "Report a problem" on an answer card: a short text, kept for the curators. */
function reportForm(key: string): CardElement {
  return {
    type: 'Action.ShowCard',
    title: 'Report a problem',
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.Text',
          id: 'text',
          label: 'What is wrong or missing?',
          isMultiline: true,
          isRequired: true,
          maxLength: MAX_REPORT_LENGTH,
          errorMessage: 'Write a few words about the problem.',
        },
      ],
      actions: [feedbackSubmit('Send', { f: 'rp', k: key })],
    },
  };
}

function text(value: string, options: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text: value || ' ', wrap: true, ...options };
}

function card(body: CardElement[], actions: CardElement[], version: TeamsCardVersion): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version,
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
  };
}

export function cardBytes(c: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(c), 'utf8');
}

/** Drops whole sections from the end until the card fits Teams' size limit, and says so. */
function fitToLimit(
  head: CardElement[],
  sections: CardElement[],
  tail: CardElement[],
  actions: CardElement[],
  version: TeamsCardVersion,
): AdaptiveCard {
  let kept = sections;
  let result = card([...head, ...kept, ...tail], actions, version);
  while (cardBytes(result) > TEAMS_MAX_BYTES && kept.length > 0) {
    kept = kept.slice(0, -1);
    const note = text('Some details were left out to fit Teams’ size limit: use Evidence or More results.', {
      isSubtle: true,
    });
    result = card([...head, ...kept, note, ...tail], actions, version);
  }
  return result;
}
