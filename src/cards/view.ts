/**
 * From an Answer to a CardView: the card's content in plain text, the same for every surface. The
 * surface renderers (Slack, Teams, text) escape it for their markup and lay it out; none of them
 * decides what is said.
 */
import type { ActionPayload } from '../answer/actions.ts';
import type { Answer } from '../answer/answer.ts';
import { PROSE_REFERENCE } from '../knowledge/knowledge-base.ts';
import { buildBody } from './card-bodies.ts';
import { digestView } from './digest.ts';
import type { EvidenceLine, Link } from './format.ts';

export { DISCLAIMER } from './disclaimer.ts';

export interface Fact {
  label: string;
  value: string;
}

export interface SectionItem {
  /** Entity this item opens, when it has a card of its own. */
  id?: string;
  title?: string;
  text?: string;
  /** Where the title links to (a paper or a trial record in the digest). */
  link?: Link;
  evidence: EvidenceLine[];
}

export interface CardSection {
  heading: string;
  items: SectionItem[];
}

export interface CardAction {
  label: string;
  payload?: ActionPayload;
  url?: string;
  style?: 'primary';
}

export interface CardView {
  type: Answer['type'];
  title: string;
  subtitle?: string;
  summary?: string;
  facts: Fact[];
  sections: CardSection[];
  notes: string[];
  links: Link[];
  actions: CardAction[];
  footer: { kbVersion: string; kbDate: string; disclaimer: string };
  /** How to render this card again (for "Share to channel"); absent for cards that cannot be shared. */
  ref?: ActionPayload;
  /** The user's own words, when the card answers a query: shown as plain text, never as markup. */
  query?: string;
  /** One plain line for notifications and the message `text` fallback. */
  fallback: string;
}

const MAX_QUERY_IN_PAYLOAD = 200;

/**
 * The card for an answer. `nameOf` turns ids written inside knowledge-base prose ("… (ev-finher-p95)")
 * into the entity's name; without it they are left as written.
 */
export function cardView(answer: Answer, nameOf?: (id: string) => string | undefined): CardView {
  const view = buildView(answer, nameOf ?? (() => undefined));
  return nameOf ? withNames(view, nameOf) : view;
}

/** Keys whose values are machine data, never shown as prose. */
const MACHINE_KEYS = new Set(['id', 'url', 'payload', 'type', 'kbVersion', 'kbDate']);

function withNames<T>(value: T, nameOf: (id: string) => string | undefined): T {
  if (typeof value === 'string') return value.replace(PROSE_REFERENCE, (ref) => nameOf(ref) ?? ref) as T;
  if (Array.isArray(value)) return value.map((v) => withNames(v, nameOf)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, MACHINE_KEYS.has(k) ? v : withNames(v, nameOf)]),
    ) as T;
  }
  return value;
}

function buildView(answer: Answer, nameOf: (id: string) => string | undefined): CardView {
  const body =
    answer.type === 'digest'
      ? digestView(answer.digest, nameOf, { all: answer.all, ...(answer.title ? { title: answer.title } : {}) })
      : buildBody(answer);
  // Every item has every field, so the templates (compiled strict) can tell absent from misspelt.
  const view = {
    ...body,
    sections: body.sections.map((s) => ({
      ...s,
      items: s.items.map((i) => ({ ...i, title: i.title ?? '', text: i.text ?? '' })),
    })),
  };
  const ref = refOf(answer);
  const query = 'query' in answer && answer.query && answer.type !== 'results' ? answer.query : undefined;
  return { ...view, ...(ref ? { ref } : {}), ...(query ? { query: clip(query) } : {}) };
}

/** The payload that re-creates an answer's card. */
function refOf(answer: Answer): ActionPayload | undefined {
  switch (answer.type) {
    case 'mechanism':
      return { a: 'open', id: answer.mechanism.id };
    case 'agent':
      return { a: 'open', id: answer.agent.id };
    case 'evidence':
      return { a: 'open', id: answer.evidence.id };
    case 'review':
      return { a: 'open', id: 'review' };
    case 'results':
      return { a: 'page', q: clip(answer.query), p: answer.page };
    case 'help':
      return { a: 'help' };
    default:
      return undefined;
  }
}

/** A query as a button payload carries it: long enough to search again, short enough for Slack. */
export function clip(query: string): string {
  return query.slice(0, MAX_QUERY_IN_PAYLOAD);
}
