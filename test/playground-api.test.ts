/**
 * The playground's HTTP API on a real loopback port: the same server module as the bot
 * (createHttpServer), the real core, and a fake digest where one is needed.
 */
import type { KnownBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SlackMessage } from '../src/cards/slack.ts';
import { slackSpecialSequences } from '../src/cards/validate.ts';
import { Core } from '../src/core.ts';
import { createHttpServer, type HttpServer } from '../src/http/server.ts';
import { silentLogger } from '../src/logger.ts';
import { type DigestWindow, mountPlayground, type PlaygroundDigest } from '../src/playground/routes.ts';
import { renderAnswer } from '../src/playground/surfaces.ts';

let core: Core;
const servers: HttpServer[] = [];

async function serve(digest?: PlaygroundDigest): Promise<string> {
  const http = createHttpServer(silentLogger, () => ({ status: 'ok', version: 'test' }));
  mountPlayground(http.web, { core, logger: silentLogger, digest });
  servers.push(http);
  return (await http.listen(0, '127.0.0.1')).url;
}

let base: string;

beforeAll(async () => {
  core = await Core.open();
  base = await serve();
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: JSON replies are checked field by field.
  body: any;
}

async function post(path: string, body: unknown, url = base, contentType = 'application/json'): Promise<Reply> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const ask = (text: string) => post('/playground/api/ask', { text });
const action = (payload: unknown) => post('/playground/api/action', { payload });

function header(message: SlackMessage): string {
  const h = message.blocks.find((b) => b.type === 'header');
  return h && h.type === 'header' ? h.text.text : '';
}

function buttons(message: SlackMessage): { text: string; value?: string }[] {
  return message.blocks
    .flatMap((b: KnownBlock) => {
      if (b.type === 'actions') return b.elements.flatMap((e) => (e.type === 'button' ? [e] : []));
      if (b.type === 'section' && b.accessory?.type === 'button') return [b.accessory];
      return [];
    })
    .map((b) => ({ text: b.text.text, value: b.value }));
}

describe('the page and its assets', () => {
  it('serves the page at / with a strict content security policy', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).toContain('Research use only, not medical advice.');
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
  });

  it('serves the scripts, the stylesheet and the adaptivecards bundle from node_modules', async () => {
    for (const [path, type] of [
      ['/playground/app.js', /javascript/],
      ['/playground/slack.js', /javascript/],
      ['/playground/style.css', /text\/css/],
      ['/playground/vendor/adaptivecards.min.js', /javascript/],
    ] as const) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(type);
    }
    const bundle = await (await fetch(`${base}/playground/vendor/adaptivecards.min.js`)).text();
    expect(bundle.length).toBeGreaterThan(100_000);
    expect((await fetch(`${base}/playground/vendor/other.js`)).status).toBe(404);
    for (const path of [
      '/playground/..%2fpackage.json',
      '/playground/vendor/..%2f..%2fpackage.json',
      '/playground/.env',
    ])
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
  });

  it('tells the page the knowledge-base version, examples and whether the digest is on', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: a JSON reply, checked field by field.
    const info: any = await (await fetch(`${base}/playground/api/info`)).json();
    expect(info.knowledgeBase).toEqual({ version: core.kb.version, date: core.kb.versionDate });
    expect(info.digest).toBe(false);
    expect(info.examples).toContain('/her2 resistance pi3k');
    expect(info.examples.some((e: string) => e.startsWith('@her2bot '))).toBe(true);
  });
});

describe('POST /playground/api/ask', () => {
  it('answers /her2 resistance pi3k three ways, each valid, with Share to channel on Slack', async () => {
    const { status, body } = await ask('/her2 resistance pi3k');
    expect(status).toBe(200);
    expect(body.input).toBe('resistance pi3k');
    expect(body.via).toBe('slash');
    expect(header(body.surfaces.slack)).toBe('PI3K pathway activation');
    expect(body.surfaces.slack.text).toContain('Research use only');
    expect(body.surfaces.teams).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(JSON.stringify(body.surfaces.teams.body)).toContain('PI3K pathway activation');
    expect(body.surfaces.text).toMatch(/^PI3K pathway activation\n/);
    expect(body.validation).toEqual({ slack: [], teams: [] });
    expect(buttons(body.surfaces.slack).map((b) => b.text)).toContain('Share to channel');
  });

  it('strips an @-mention, whatever its spelling, and answers without a Share button', async () => {
    for (const typed of [
      '@her2bot neratinib evidence',
      '@HER2 Bot neratinib evidence',
      '<@U0BOT> neratinib evidence',
    ]) {
      const { status, body } = await ask(typed);
      expect(status, typed).toBe(200);
      expect(body.input, typed).toBe('neratinib evidence');
      expect(body.via, typed).toBe('mention');
      expect(buttons(body.surfaces.slack).map((b) => b.text)).not.toContain('Share to channel');
    }
  });

  it('answers the bare words as /her2 would', async () => {
    const plain = await ask('  resistance pi3k ');
    const slash = await ask('/her2 resistance pi3k');
    expect(plain.body.via).toBe('plain');
    expect(plain.body.surfaces).toEqual(slash.body.surfaces);
  });

  it('answers nothing, and /her2 alone, with the help card', async () => {
    for (const typed of ['', '/her2']) {
      const { body } = await ask(typed);
      expect(header(body.surfaces.slack)).toMatch(/^her2-bot:/);
    }
  });

  it('points digest commands to the Digest tab', async () => {
    const { status, body } = await ask('/her2 digest preview');
    expect(status).toBe(200);
    expect(body.surfaces.text).toContain('Digest tab');
  });

  it('keeps hostile input inert: no pings, no markup, every card still valid', async () => {
    const typed = '/her2 <!channel> <@U123> <script>alert(1)</script> "}] *x* resistance pi3k';
    const { status, headers, body } = await ask(typed);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/application\/json/);
    expect(body.input).toBe(typed.slice('/her2 '.length));
    expect(slackSpecialSequences(body.surfaces.slack)).toEqual([]);
    expect(body.surfaces.slack.text).not.toContain('<!channel>');
    expect(body.validation).toEqual({ slack: [], teams: [] });
    // The user's words reach Teams only in a TextRun, which is never read as markdown.
    const teams = JSON.stringify(body.surfaces.teams);
    expect(teams).toContain('"type":"TextRun","text":"You asked: <!channel>');
    for (const block of body.surfaces.teams.body) {
      if (block.type === 'TextBlock') expect(block.text).not.toContain('<script>');
    }
  });

  it('rejects a body without text, or with too much of it', async () => {
    expect((await post('/playground/api/ask', {})).status).toBe(400);
    expect((await post('/playground/api/ask', { text: 42 })).status).toBe(400);
    const long = await ask('x'.repeat(2001));
    expect(long.status).toBe(400);
    expect(long.body.error).toMatch(/2000 characters/);
  });
});

describe('POST /playground/api/action', () => {
  it('opens an item from a Slack button value (a JSON string)', async () => {
    const answer = await ask('resistance pi3k');
    const open = buttons(answer.body.surfaces.slack).find((b) => b.text === 'Open')!;
    const { status, body } = await action(open.value);
    expect(status).toBe(200);
    expect(body.payload).toEqual(JSON.parse(open.value!));
    expect(header(body.surfaces.slack)).toBe('mTOR inhibitors');
    expect(body.validation).toEqual({ slack: [], teams: [] });
  });

  it('lists the agents from a Teams data.her2 object, with or without its wrapper', async () => {
    const id = core.search('resistance pi3k').hits[0]!.id;
    for (const payload of [{ a: 'agents', id }, { her2: { a: 'agents', id } }]) {
      const { status, body } = await action(payload);
      expect(status).toBe(200);
      expect(header(body.surfaces.slack)).toBe('Agents: PI3K pathway activation');
      expect(body.surfaces.text).toContain('Agents: PI3K pathway activation');
    }
  });

  it('pages through more results', async () => {
    const { status, body } = await action({ a: 'more', q: 'resistance pi3k', p: 1 });
    expect(status).toBe(200);
    expect(header(body.surfaces.slack)).toBe('Results for “resistance pi3k”');
    expect(body.validation).toEqual({ slack: [], teams: [] });
  });

  it('says what share would do in Slack', async () => {
    const { body } = await action({ a: 'share', id: core.search('p95').hits[0]!.id });
    expect(body.note).toMatch(/posts the card to the channel/);
  });

  it('rejects payloads the bot does not understand, and answers unknown ids with an error card', async () => {
    for (const payload of ['not json', '{"a":"delete"}', { a: 'rm -rf' }, 42]) {
      const { status, body } = await action(payload);
      expect(status, JSON.stringify(payload)).toBe(400);
      expect(body.error).toBeTypeOf('string');
    }
    const gone = await action({ a: 'open', id: 'mech-no-such-thing' });
    expect(gone.status).toBe(200);
    expect(gone.body.surfaces.text).toContain('no longer in the knowledge base');
  });
});

describe('POST /playground/api/digest', () => {
  it('answers 503 when the server has no digest', async () => {
    const { status, body } = await post('/playground/api/digest', { since: '2026-11-01', until: '2026-11-07' });
    expect(status).toBe(503);
    expect(body.error).toMatch(/^digest not available/);
  });

  it('runs the digest dry run for the window and reports each source', async () => {
    const dryRun = vi.fn(async (_window: DigestWindow) => ({
      surfaces: renderAnswer(core, core.answer('trials'), { shareable: false }).surfaces,
      sources: [
        { name: 'PubMed', status: 'ok' as const, count: 3 },
        { name: 'Europe PMC', status: 'failed' as const, count: 0, error: 'fetch failed (ENOTFOUND)' },
      ],
    }));
    const url = await serve({ dryRun });
    const { status, body } = await post('/playground/api/digest', { since: '2026-11-01', until: '2026-11-07' }, url);
    expect(status).toBe(200);
    expect(dryRun).toHaveBeenCalledWith({ since: '2026-11-01', until: '2026-11-07' });
    expect(body.window).toEqual({ since: '2026-11-01', until: '2026-11-07' });
    expect(body.sources[1]).toEqual({
      name: 'Europe PMC',
      status: 'failed',
      count: 0,
      error: 'fetch failed (ENOTFOUND)',
    });
    expect(body.validation).toEqual({ slack: [], teams: [] });
    expect(body.surfaces.text).toContain('Research use only');
  });

  it('runs one dry run at a time and a few a minute, answering 429 with Retry-After beyond that', async () => {
    let finish: () => void = () => {};
    const dryRun = vi.fn(
      () =>
        new Promise<Awaited<ReturnType<PlaygroundDigest['dryRun']>>>((resolve) => {
          finish = () =>
            resolve({
              surfaces: renderAnswer(core, core.answer('trials'), { shareable: false }).surfaces,
              sources: [],
            });
        }),
    );
    const url = await serve({ dryRun });
    const window = { since: '2026-11-01', until: '2026-11-02' };
    const first = post('/playground/api/digest', window, url);
    await vi.waitFor(() => expect(dryRun).toHaveBeenCalledTimes(1));
    const second = await fetch(`${url}/playground/api/digest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(window),
    });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    finish();
    expect((await first).status).toBe(200);
    for (let i = 0; i < 5; i++) {
      const run = post('/playground/api/digest', window, url);
      await vi.waitFor(() => expect(dryRun).toHaveBeenCalledTimes(i + 2));
      finish();
      expect((await run).status).toBe(200);
    }
    expect((await post('/playground/api/digest', window, url)).status).toBe(429);
    expect(dryRun).toHaveBeenCalledTimes(6);
  });

  it('answers 500 without details when the dry run throws', async () => {
    const url = await serve({
      dryRun: async () => {
        throw new Error('secret internals');
      },
    });
    const { status, body } = await post('/playground/api/digest', { since: '2026-11-01', until: '2026-11-01' }, url);
    expect(status).toBe(500);
    expect(body.error).not.toContain('secret');
  });

  it.each([
    [{ since: '2026-13-01', until: '2026-11-07' }, /since: not a calendar date/],
    [{ since: '2026-02-30', until: '2026-03-07' }, /since: not a calendar date/],
    [{ since: 'last week', until: '2026-11-07' }, /since: expected a date as YYYY-MM-DD/],
    [{ since: '2026-11-01' }, /until/],
    [{ since: '2026-11-08', until: '2026-11-01' }, /^since: must not be after until$/],
    [{ since: '2026-01-01', until: '2026-11-01' }, /limited to 31 days/],
  ])('rejects bad dates %j with 400', async (window, message) => {
    const { status, body } = await post('/playground/api/digest', window);
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
    expect(body.error).not.toMatch(/\b(\w+)\W+\1\b/); // no word twice in a row ("since: since …")
  });
});

describe('request hygiene', () => {
  it('answers an oversize body with 413 as JSON', async () => {
    const { status, body } = await post('/playground/api/ask', { text: 'x'.repeat(20_000) });
    expect(status).toBe(413);
    expect(body.error).toMatch(/too large/);
  });

  it('answers malformed JSON with 400, other content types with 415, and GET with 405', async () => {
    const bad = await post('/playground/api/ask', '{"text": ', base);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/not valid JSON/);
    const form = await post('/playground/api/ask', 'text=p95', base, 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    const get = await fetch(`${base}/playground/api/ask`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${base}/playground/api/nothing`)).status).toBe(404);
  });
});
