/**
 * Calendar dates as strings. Sources give partial dates (`2024-05`, `1990 Spring`, `1998 Dec-1999 Jan`)
 * and JS `Date` would invent a day and shift it by the server's time zone, so dates never become `Date`s
 * here: they are compared as ISO strings, which sort correctly.
 */
import { SourceError } from '../http.ts';
import type { DigestWindow } from './types.ts';

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_PARTIAL = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Throws a SourceError (code 'query') unless both ends are real YYYY-MM-DD dates and since ≤ until. */
export function checkWindow(window: DigestWindow): DigestWindow {
  for (const [name, value] of Object.entries(window)) {
    const m = FULL_DATE.exec(value);
    if (!m || isoDate(m[1], m[2], m[3]) !== value) {
      throw new SourceError('query', `digest window ${name} must be a YYYY-MM-DD date, got ${JSON.stringify(value)}`);
    }
  }
  if (window.since > window.until) {
    throw new SourceError('query', `digest window starts after it ends (${window.since} > ${window.until})`);
  }
  return window;
}

/** True when a (possibly partial) ISO date overlaps the window: `2024-05` is inside 2024-05-30…2024-06-02. */
export function inWindow(date: string, window: DigestWindow): boolean {
  return date >= window.since.slice(0, date.length) && date <= window.until.slice(0, date.length);
}

export function isIsoDate(value: string): boolean {
  return ISO_PARTIAL.test(value);
}

/**
 * `YYYY`, `YYYY-MM` or `YYYY-MM-DD` from year, month and day as PubMed writes them: the month may be
 * `Sep`, `09` or `9`. Returns undefined for a missing or impossible year; drops a bad month or day.
 */
export function isoDate(year?: string, month?: string, day?: string): string | undefined {
  if (!year || !/^\d{4}$/.test(year.trim())) return undefined;
  const y = year.trim();
  const m = monthNumber(month);
  if (m === undefined) return y;
  const mm = String(m).padStart(2, '0');
  const d = day && /^\d{1,2}$/.test(day.trim()) ? Number(day) : undefined;
  if (d === undefined || d < 1 || d > daysInMonth(Number(y), m)) return `${y}-${mm}`;
  return `${y}-${mm}-${String(d).padStart(2, '0')}`;
}

/**
 * PubMed's free-text `MedlineDate` (`1998 Dec-1999 Jan`, `2024 Mar-Apr`, `2000 Spring`): the first year,
 * with the month that directly follows it when there is one.
 */
export function medlineDateToIso(raw: string): string | undefined {
  const m = /(\d{4})(?:\s+([A-Za-z]{3})[a-z]*)?/.exec(raw);
  if (!m) return undefined;
  return isoDate(m[1], m[2]);
}

function monthNumber(month?: string): number | undefined {
  const text = month?.trim().toLowerCase();
  if (!text) return undefined;
  if (/^\d{1,2}$/.test(text)) {
    const n = Number(text);
    return n >= 1 && n <= 12 ? n : undefined;
  }
  const index = MONTHS.indexOf(text.slice(0, 3));
  return index >= 0 ? index + 1 : undefined;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
