/**
 * What a card's button asks for. Buttons carry this payload (as JSON) so that a click is answered
 * from ids, without searching again; every surface decodes it the same way.
 */
export interface ActionPayload {
  /**
   * `open` a card in place of the one clicked (where the surface can); `show` an entity's card beside
   * the message clicked on, for the clicker only (a digest item's "new data on CLEOPATRA": the digest
   * stays as everyone sees it).
   */
  a: 'open' | 'show' | 'agents' | 'evidence' | 'more' | 'share' | 'page' | 'help';
  id?: string;
  q?: string;
  p?: number;
}

/** The most of a query a payload carries: long enough to search again, short enough for Slack's values. */
export const MAX_QUERY_IN_PAYLOAD = 200;

/** A query as a button payload carries it. */
export function clipQuery(query: string): string {
  return query.slice(0, MAX_QUERY_IN_PAYLOAD);
}

const ACTIONS = new Set<ActionPayload['a']>(['open', 'show', 'agents', 'evidence', 'more', 'share', 'page', 'help']);

/** True for a click answered beside its message and only to the clicker, never replacing the message. */
export function showsBeside(payload: ActionPayload): boolean {
  return payload.a === 'show';
}

/** Reads a payload from a button value; anything malformed is rejected (undefined), never trusted. */
export function decodeAction(raw: unknown): ActionPayload | undefined {
  const v = payloadObject(raw, 2000);
  if (!v) return undefined;
  if (typeof v.a !== 'string' || !ACTIONS.has(v.a as ActionPayload['a'])) return undefined;
  const out: ActionPayload = { a: v.a as ActionPayload['a'] };
  if (typeof v.id === 'string' && /^[a-z0-9-]{1,100}$/.test(v.id)) out.id = v.id;
  if (typeof v.q === 'string') out.q = clipQuery(v.q);
  if (typeof v.p === 'number' && Number.isInteger(v.p) && v.p > 0 && v.p < 1000) out.p = v.p;
  return out;
}

/** A button's value as an object: parsed when it is JSON text of at most `maxLength`, else undefined. */
export function payloadObject(raw: unknown, maxLength: number): Record<string, unknown> | undefined {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    if (raw.length > maxLength) return undefined;
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}
