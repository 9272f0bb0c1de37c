/**
 * Escaping for each surface's markup, applied to every string of a card before it meets a template,
 * so neither knowledge-base text nor a user's query can ping a channel, forge a link or break markup.
 */
import { MACHINE_KEYS } from './card-view.ts';

/**
 * Slack mrkdwn has no escape character for its formatting, so the characters that start bold,
 * italics, strike-through and code are replaced by look-alikes it does not parse; a line starting with
 * `>` (a quote) is already neutered by the entity.
 */
const SLACK_FORMATTING: Record<string, string> = { '*': '\u2217', _: '\u02CD', '~': '\u223C', '`': '\u02CB' };

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/**
 * Slack mrkdwn, the one helper for every string in a Slack message (blocks and the `text` fallback):
 * &, < and > escaped (which neuters <!channel>, <@U…> and <url|…>), formatting characters replaced by
 * look-alikes, and a URL's `://` broken by a word joiner so bare links in the text fallback stay text
 * (the blocks' mrkdwn is `verbatim`, which Slack does not auto-link).
 */
export function slackText(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // Slack formats only at word edges (`snake_case_name` stays as it is), so only those are replaced;
      // a backtick starts code anywhere.
      .replace(/[*_~`]/g, (c, at: number, all: string) =>
        c === '`' || !isWordChar(all[at - 1]) || !isWordChar(all[at + 1]) ? SLACK_FORMATTING[c]! : c,
      )
      .replace(/:\/\//g, ':\u2060//')
  );
}

/** A URL inside Slack's <url|label>: https only, and the characters that would end the link encoded. */
export function slackUrl(url: string): string {
  return safeHttpsUrl(url).replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C');
}

/**
 * Teams TextBlock markdown: backslash-escape the characters that start emphasis, code or links.
 * Adaptive Cards never render HTML and do not decode entities, so < and > stay as they are (P<0.001).
 * Text typed by users never goes through markdown at all (the renderer puts it in a TextRun).
 */
export function teamsText(s: string): string {
  return s.replace(/([\\*_`[\]])/g, '\\$1');
}

/** A URL inside Teams markdown [label](url): https only, with ( ) and spaces encoded. */
export function teamsUrl(url: string): string {
  return safeHttpsUrl(url).replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
}

/** Only https links are ever rendered; anything else becomes a harmless placeholder. */
export function safeHttpsUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' ? u.toString() : 'https://invalid.invalid/';
  } catch {
    return 'https://invalid.invalid/';
  }
}

/** A deep copy of a view with every string escaped by `text` and every `url` by `url`; other machine data stays. */
export function escapeView<T>(value: T, text: (s: string) => string, url: (s: string) => string, key = ''): T {
  if (typeof value === 'string') return (key === 'url' ? url(value) : text(value)) as T;
  if (Array.isArray(value)) return value.map((v) => escapeView(v, text, url)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, MACHINE_KEYS.has(k) && k !== 'url' ? v : escapeView(v, text, url, k)]),
    ) as T;
  }
  return value;
}
