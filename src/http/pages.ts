/**
 * The privacy and terms pages the Teams app manifest links to (PUBLIC_URL/privacy, /terms): short,
 * plain statements of what the bot stores and what it is for.
 */
import type { Express } from 'express';

/** Text for HTML: the five characters that could open markup or end an attribute. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small page of our own; `paragraphs` are HTML (escape what did not come from us). */
export const page = (title: string, paragraphs: string[]) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · her2-bot</title>` +
  '<meta name="viewport" content="width=device-width, initial-scale=1"></head>' +
  `<body style="font-family: system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; line-height: 1.5"><h1>${title}</h1>` +
  paragraphs.map((p) => `<p>${p}</p>`).join('') +
  '</body></html>';

const PRIVACY = page('Privacy', [
  'her2-bot answers questions about trastuzumab resistance from a fixed, curated knowledge base. It does not store the questions you ask or the answers it gives.',
  'When a Slack workspace installs the app through OAuth, the bot stores what Slack returns for that install (the workspace id and name and the bot token), with the token encrypted (AES-256-GCM) under a key only the server holds; uninstalling the app deletes it.',
  'For the daily literature digest it stores, in its own database on the server that runs it: which channels subscribed (channel or conversation id, time, time zone, topics, and the id of the person who subscribed), the Teams conversation reference needed to post there, the identifiers of papers and trial records already posted to each channel (with their titles and tags), and a record of each digest run.',
  'When you use a feedback button (Useful, Not relevant, Wrong tags, Report a problem), it stores your user id, the conversation, the time, the item and its tags, and the text of a report. Tags a channel muted are stored with who muted them. This stays on the server; only the knowledge base’s curators export it, to improve the knowledge base.',
  '“Export this week” on a digest sends the items that channel’s digests showed (titles, authors, identifiers, links and tags, nothing else) only to the person who pressed it: as a file in their direct messages with the bot in Slack, and in Teams as a download link sent to them privately that works for 15 minutes.',
  'Its logs contain technical events (errors, channel ids) without tokens, keys or message text. Nothing is shared with third parties; the literature searches sent to PubMed, ClinicalTrials.gov and Europe PMC contain only the bot’s own search terms.',
  'To remove a channel’s data, unsubscribe it with “digest unsubscribe” and ask the server’s operator to delete its rows.',
]);

const TERMS = page('Terms of use', [
  'her2-bot is for research and education. It is not medical advice, does not recommend treatment for any patient, and does not replace clinical guidelines (e.g. NCCN, ESMO) or professional judgement.',
  'Every statement comes from the knowledge base, with its source. Results published after the 2011 review it is built on are marked as later data; unverified figures are hedged. The literature digest tags new records automatically and provisionally.',
  'The software is open source and provided as is, without warranty.',
]);

export function mountPages(web: Express): void {
  web.get('/privacy', (_req, res) => {
    res.type('html').send(PRIVACY);
  });
  web.get('/terms', (_req, res) => {
    res.type('html').send(TERMS);
  });
}
