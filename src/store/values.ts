/**
 * Checks and conversions for what crosses the store's boundary. Every timestamp is stored as
 * `Date#toISOString()` (UTC, millisecond precision, fixed width), so SQL can compare them as text and
 * two spellings of one instant can never slip past a unique key.
 */
import { invalid } from './errors.ts';

/** The store's clock; inject a fixed or stepping one in tests. */
export type Clock = () => Date;

/** An instant as a Date, or as an ISO string that names its offset (`Z` or `+01:00`). */
export type Instant = Date | string;

/** ISO date-times that say which zone they are in; a bare `2026-11-29T08:00` would be read as server-local. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Normalises an instant to the stored form, e.g. `2026-11-29T07:00:00.000Z`. */
export function toIso(value: Instant, what: string): string {
  if (typeof value === 'string' && !ISO_WITH_OFFSET.test(value)) {
    throw invalid(`${what} must be an ISO date-time with Z or an offset, got ${JSON.stringify(value)}`);
  }
  const date = typeof value === 'string' ? new Date(value) : value;
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw invalid(`${what} is not a valid instant: ${String(value)}`);
  }
  return date.toISOString();
}

/**
 * Which conversation (channel, group chat, personal chat) a row belongs to: an opaque key each surface
 * builds and parses in handlers/ (e.g. `slack:T…:C…`, `teams:19:…`). The store only checks that it is a key.
 */
export type ChannelKey = string;

/** Keys (channels, items, sources) are identifiers: printable, no whitespace, bounded. */
export function checkKey(value: unknown, what: string, maxLength = 512): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength || /\s/.test(value)) {
    throw invalid(`${what} must be a non-empty string without whitespace of at most ${maxLength} characters`);
  }
  return value;
}

export function checkPositiveInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw invalid(`${what} must be a positive integer, got ${value}`);
  return value;
}

/** A plain object serialised as JSON text, for the columns that hold platform or source detail. */
export function toJsonObjectText(value: unknown, what: string): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`${what} must be a plain JSON object`);
  }
  try {
    return JSON.stringify(value);
  } catch (err) {
    throw invalid(`${what} cannot be stored as JSON: ${(err as Error).message}`);
  }
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A knowledge-base tag as the digest shows it: a mechanism or an agent id. */
const TAG_ID = /^(mech|agent)-[a-z0-9]+(-[a-z0-9]+)*$/;

export function checkTag(value: unknown): string {
  if (typeof value !== 'string' || !TAG_ID.test(value)) {
    throw invalid(`tag ${JSON.stringify(value)} is not a mechanism or agent id`);
  }
  return value;
}

/** The phrase behind each tag as shown (a short quote from the item), keyed by tag id. */
export function checkReasons(reasons: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [tag, reason] of Object.entries(reasons)) {
    checkTag(tag);
    if (typeof reason !== 'string') throw invalid(`the reason for ${tag} must be text`);
    out[tag] = reason.slice(0, 300);
  }
  return out;
}
