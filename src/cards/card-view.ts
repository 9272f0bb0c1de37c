/**
 * The view types every card is made of: the card's content in plain text, the same for every
 * surface. A leaf module: the builders (`bodies/`, `digest.ts`, `view.ts`) and the renderers (Slack,
 * Teams, text) import it, it imports none of them.
 */
import type { ActionPayload } from '../answer/actions.ts';
import type { AnswerType } from '../answer/answer.ts';
import type { FeedbackPayload } from '../answer/feedback-payload.ts';
import type { ExportFormat } from '../digest/export-formats.ts';
import type { EvidenceLine, Link } from './format.ts';

export interface Fact {
  label: string;
  value: string;
  /** What the fact is, for renderers that pick facts out (the unfurl shows the evidence level). */
  role?: 'level';
}

export interface SectionItem {
  /** Entity this item opens, when it has a card of its own. */
  id?: string;
  title?: string;
  text?: string;
  /** Where the title links to (a paper or a trial record in the digest). */
  link?: Link;
  evidence: EvidenceLine[];
  /** The knowledge-base entry a digest item brings new data on ("new data on CLEOPATRA"): its card opens. */
  entry?: EntryLink;
  /** A digest item's ref: the item offers Useful, Not relevant and Wrong tags. */
  feedbackRef?: string;
}

/**
 * A digest item's knowledge-base entry. Surfaces with buttons open the entry's card for the person who
 * clicks (`{ a: 'show', id }`); plain text says what to type for it instead.
 */
export interface EntryLink {
  label: string;
  /** The entity whose card it opens (an evidence item). */
  id: string;
  /** The words that ask for that card here, in this surface's syntax: "/her2 CLEOPATRA final OS". */
  ask: string;
}

export interface CardSection {
  heading: string;
  /**
   * What the section holds, for renderers that pick sections out (the compact unfurl shows the key
   * result and what the study supports); headings are display text and may be reworded.
   */
  role?: 'results' | 'supports';
  items: SectionItem[];
}

export interface CardAction {
  label: string;
  payload?: ActionPayload;
  /** A feedback control's payload (instead of `payload`). */
  feedback?: FeedbackPayload;
  url?: string;
  style?: 'primary';
}

export interface CardView {
  type: AnswerType;
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
  /** The card's key for "Report a problem" (the entity it shows, or its answer type). */
  reportKey?: string;
  /** A digest's "Wrong tags" form (Teams shows one per card): its items, and the tags to choose from. */
  tagForm?: { items: { ref: string; title: string; tags: string[] }[]; tags: { id: string; name: string }[] };
  /**
   * "Export this week" on a posted digest: the formats a reader may pick, the first the default. The
   * file goes only to whoever pressed, for the conversation the card was posted in.
   */
  exportOffer?: ExportOffer;
  /** The user's own words, when the card answers a query: shown as plain text, never as markup. */
  query?: string;
  /** One plain line for notifications and the message `text` fallback. */
  fallback: string;
}

export interface ExportOffer {
  label: string;
  choices: { format: ExportFormat; label: string; short: string }[];
}

/**
 * How commands are written where the user is, for the cards that teach them (help, "no match",
 * examples): each surface speaks its own language, and Teams reads `<…>` as markup and drops it.
 */
export interface Syntax {
  /** Written before a command's words: `/her2 `, `@HER2 Bot `, nothing in a personal chat, `her2bot ask `. */
  prefix: string;
  /** What stands for the user's question in a command line. */
  question: string;
  /** How else people reach the bot from here, shown under help (absent when there is nothing to add). */
  elsewhere?: string;
  /**
   * The digest's lines in help, written out in full. Absent in a chat, where `digest …` follows the
   * prefix like any command; the command line's `ask` takes no digest commands, so it names its own.
   */
  digestHelp?: readonly { readonly usage: string; readonly text: string }[];
}

/** Plain words, as typed in a personal chat with the bot. */
export const PLAIN_SYNTAX: Syntax = { prefix: '', question: 'your question' };

/**
 * Keys whose values are machine data (ids, payloads, roles, versions), never prose: ids in them are
 * not turned into names, and only `url` is escaped (as a URL, by the surface's own rule).
 */
export const MACHINE_KEYS: ReadonlySet<string> = new Set([
  'id',
  'url',
  'payload',
  'type',
  'style',
  'role',
  'kbVersion',
  'kbDate',
  'feedback',
  'feedbackRef',
  'reportKey',
  'tagForm',
  'exportOffer',
]);
