/**
 * The local playground: a page at `/` where anyone can try the real bot without a Slack app or an
 * Azure registration, and the JSON API behind it. Every answer comes from the same core and the same
 * renderers as the real surfaces; the page draws the Slack blocks itself and the Teams card with
 * Microsoft's own `adaptivecards` renderer, served from node_modules (no CDN, works offline).
 */
import { createRequire } from 'node:module';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { decodeAction } from '../answer/actions.ts';
import { EXAMPLE_QUERIES } from '../answer/answer.ts';
import { PLAIN_SYNTAX } from '../cards/card-view.ts';
import type { DigestCommands } from '../conversation/digest-commands.ts';
import { replyTo } from '../conversation/reply.ts';
import type { Core } from '../core.ts';
import type { Logger } from '../logger.ts';
import { projectPath } from '../util/project-root.ts';
import { VERSION } from '../version.ts';
import { dryRunGate } from './dry-run-gate.ts';
import { renderAnswer, type Surfaces, userText, validate } from './surfaces.ts';

export type { Surfaces } from './surfaces.ts';

/** A day as YYYY-MM-DD; the window is inclusive. */
export interface DigestWindow {
  since: string;
  until: string;
}

export interface DigestSourceReport {
  name: string;
  status: 'ok' | 'failed' | 'skipped';
  count: number;
  error?: string;
}

/** The digest as the playground needs it: a dry run that fetches and renders, but posts nothing. */
export interface PlaygroundDigest {
  dryRun(window: DigestWindow): Promise<{ surfaces: Surfaces; sources: DigestSourceReport[] }>;
}

export interface PlaygroundDeps {
  core: Core;
  logger: Logger;
  digest?: PlaygroundDigest | undefined;
}

export const BODY_LIMIT = '16kb';
/** The longest digest window the playground asks the literature sources for. */
export const MAX_DIGEST_DAYS = 31;

const PAGE_DIR = projectPath('playground');
const require = createRequire(import.meta.url);
const VENDOR: Record<string, string> = {
  'adaptivecards.min.js': require.resolve('adaptivecards/dist/adaptivecards.min.js'),
  'adaptivecards.css': require.resolve('adaptivecards/dist/adaptivecards.css'),
};

/** The page loads only its own files; nothing inline, nothing from elsewhere. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const AskBody = z.object({ text: z.string().max(2000, 'text is longer than 2000 characters') });
const ActionBody = z.object({
  payload: z.union([z.string().max(2000), z.record(z.string(), z.unknown())]),
});
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine(isCalendarDay, 'not a calendar date');
const DigestBody = z
  .object({ since: day, until: day })
  .refine((w) => w.since <= w.until, { message: 'must not be after until', path: ['since'] })
  .refine((w) => daysBetween(w.since, w.until) < MAX_DIGEST_DAYS, {
    message: `the window is limited to ${MAX_DIGEST_DAYS} days`,
    path: ['until'],
  });

function isCalendarDay(s: string): boolean {
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
}

function daysBetween(since: string, until: string): number {
  return (Date.parse(`${until}T00:00:00Z`) - Date.parse(`${since}T00:00:00Z`)) / 86_400_000;
}

export function mountPlayground(web: Express, deps: PlaygroundDeps): void {
  const { core, logger, digest } = deps;
  const page = express.Router();
  page.use('/playground', securityHeaders);
  page.get('/', securityHeaders, (_req, res) => {
    res.sendFile('index.html', { root: PAGE_DIR });
  });
  page.get('/playground/vendor/:file', (req, res, next) => {
    const file = VENDOR[req.params.file];
    if (file) res.sendFile(file);
    else next();
  });
  page.use('/playground/api', api(core, logger, digest));
  page.get(['/playground', '/playground/'], (_req, res) => {
    res.redirect(302, '/');
  });
  page.use('/playground', express.static(PAGE_DIR, { index: false, dotfiles: 'ignore' }));
  web.use(page);
}

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set({
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  });
  next();
}

function api(core: Core, logger: Logger, digest: PlaygroundDigest | undefined): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: BODY_LIMIT }));
  const gate = dryRunGate();

  router.get('/info', (_req, res) => {
    res.json({
      version: VERSION,
      knowledgeBase: { version: core.kb.version, date: core.kb.versionDate },
      digest: digest !== undefined,
      examples: examples(),
    });
  });

  // The playground's "digest …" points at its Digest tab: it has no channel to subscribe.
  const digestTab: DigestCommands = {
    handle: async () => ({
      answer: core.error('In the playground, the Digest tab previews the daily digest.'),
      private: true,
    }),
  };
  router.post('/ask', async (req, res) => {
    const body = parseBody(AskBody, req, res);
    if (!body) return;
    const { text, via } = userText(body.text);
    const place = { conversationKey: 'playground:local', userId: 'playground', syntax: PLAIN_SYNTAX };
    const { answer, visibility } = await replyTo(text, place, { core, logger, digest: digestTab });
    res.json({ input: text, via, visibility, ...renderAnswer(core, answer, { shareable: via !== 'mention', via }) });
  });

  router.post('/action', (req, res) => {
    const body = parseBody(ActionBody, req, res);
    if (!body) return;
    // Teams sends the card's whole `data` ({ her2: payload }); Slack the button's value.
    const raw = typeof body.payload === 'object' && 'her2' in body.payload ? body.payload.her2 : body.payload;
    const payload = decodeAction(raw);
    if (!payload) {
      res.status(400).json({ error: 'not a button payload this bot understands' });
      return;
    }
    const note = payload.a === 'share' ? 'In Slack, this posts the card to the channel for everyone.' : undefined;
    const rendered = renderAnswer(core, core.handleAction(payload), { shareable: payload.a !== 'share' });
    res.json({ payload, ...(note ? { note } : {}), ...rendered });
  });

  router.post('/digest', async (req, res) => {
    const window = parseBody(DigestBody, req, res);
    if (!window) return;
    if (!digest) {
      res.status(503).json({ error: 'digest not available: this server was started without the digest' });
      return;
    }
    const entry = gate.enter();
    if ('retryAfterS' in entry) {
      res
        .status(429)
        .set('Retry-After', String(entry.retryAfterS))
        .json({ error: `too many digest dry runs; try again in ${entry.retryAfterS} s` });
      return;
    }
    try {
      const result = await digest.dryRun({ since: window.since, until: window.until });
      res.json({ window, sources: result.sources, surfaces: result.surfaces, validation: validate(result.surfaces) });
    } catch (err) {
      logger.error({ err, window }, 'playground digest dry run failed');
      res.status(500).json({ error: 'the digest dry run failed; the server log has the details' });
    } finally {
      entry.release();
    }
  });

  router.all(['/ask', '/action', '/digest'], (_req, res) => {
    res.status(405).set('Allow', 'POST').json({ error: 'use POST with a JSON body' });
  });
  router.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: unknown }).status;
    if (status === 413) res.status(413).json({ error: `request body too large (limit ${BODY_LIMIT})` });
    else if (typeof status === 'number' && status >= 400 && status < 500)
      res.status(status).json({ error: status === 400 ? 'the body is not valid JSON' : 'the body could not be read' });
    else {
      logger.error({ err, path: req.path }, 'playground request failed');
      res.status(500).json({ error: 'internal error' });
    }
  });
  return router;
}

/** The body, parsed; or undefined after answering 415 or 400 with what is wrong. */
function parseBody<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
  if (!req.is('application/json')) {
    res.status(415).json({ error: 'send a JSON body (Content-Type: application/json)' });
    return undefined;
  }
  const parsed = schema.safeParse(req.body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  res.status(400).json({ error: `${where}${issue?.message ?? 'invalid body'}` });
  return undefined;
}

/** What to try, written the ways a user would type it. */
function examples(): string[] {
  const typed = EXAMPLE_QUERIES.map((q, i) => (i === 0 ? `/her2 ${q}` : i === 1 ? `@her2bot ${q}` : q));
  return [...typed, '/her2 mechanisms', '/her2 help'];
}
