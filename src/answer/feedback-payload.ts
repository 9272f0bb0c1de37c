/**
 * What a feedback control carries: the verb, and the item (a digest item's short ref), the answer
 * card (its key) or the tag it is about; "Fewer like this" also names the Not relevant press that
 * offered it. Kept short: a Slack overflow option's value holds 75 characters. Decoded strictly on
 * the way back, like every button payload.
 */
import { payloadObject } from './actions.ts';

export type FeedbackVerb =
  /** Useful, Not relevant, Wrong tags (a digest item). */
  | 'u'
  | 'nr'
  | 'wt'
  /** Report a problem (an answer card). */
  | 'rp'
  /** Fewer like this: mute a tag for the subscription. */
  | 'mute';

export interface FeedbackPayload {
  f: FeedbackVerb;
  /** A digest item's ref (src/digest/item-ref.ts). */
  r?: string;
  /** An answer card's key: the entity id it shows, or its answer type. */
  k?: string;
  /** A mechanism or agent id. */
  t?: string;
  /**
   * Fewer like this: the stored Not relevant press that made the offer. It names the conversation
   * to mute in, which is not always where the offer is pressed (Teams sends it from a channel to the
   * person's personal chat).
   */
  n?: number;
}

const VERBS = new Set<FeedbackVerb>(['u', 'nr', 'wt', 'rp', 'mute']);
const REF = /^[0-9a-f]{16}$/;
const KEY = /^[a-z0-9-]{1,100}$/;
const TAG = /^(mech|agent)-[a-z0-9]+(-[a-z0-9]+)*$/;

export function encodeFeedback(payload: FeedbackPayload): string {
  return JSON.stringify(payload);
}

/** The payload, or undefined for anything malformed (never trusted). */
export function decodeFeedback(raw: unknown): FeedbackPayload | undefined {
  const v = payloadObject(raw, 500);
  if (!v) return undefined;
  if (typeof v.f !== 'string' || !VERBS.has(v.f as FeedbackVerb)) return undefined;
  const out: FeedbackPayload = { f: v.f as FeedbackVerb };
  if (typeof v.r === 'string' && REF.test(v.r)) out.r = v.r;
  if (typeof v.k === 'string' && KEY.test(v.k)) out.k = v.k;
  if (typeof v.t === 'string' && TAG.test(v.t)) out.t = v.t;
  if (typeof v.n === 'number' && Number.isSafeInteger(v.n) && v.n > 0) out.n = v.n;
  const needs = out.f === 'rp' ? out.k : out.f === 'mute' ? out.t && out.n : out.r;
  return needs ? out : undefined;
}
