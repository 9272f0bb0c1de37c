/**
 * Finding 7 of issue 14: user text in Slack mrkdwn and in the `text` fallback, through the real bot:
 * the "no match" answer, "not a digest command" and "could not match" notices. Hostile formatting
 * (bold, italics, strike, code, fences, quotes, mentions, links) must reach Slack as literal text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/logger.ts';
import { type RunningBot, startBot } from '../src/main.ts';
import {
  BOT_TOKEN,
  type FakeSlack,
  SIGNING_SECRET,
  slackHeaders,
  slashCommandBody,
  startFakeSlack,
} from './helpers/slack.ts';

const HOSTILE =
  '*qxzb* _qxzi_ ~qxzs~ `qxzc` ```qxzf``` <!channel> <https://evil.example/x|click> https://evil.example/login';

let slack: FakeSlack;
let bot: RunningBot;
beforeAll(async () => {
  slack = await startFakeSlack();
  bot = await startBot(
    loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      DATABASE_PATH: ':memory:',
    }),
    { logger: silentLogger, slackRetries: 0 },
  );
});
afterAll(async () => {
  await bot?.close();
  await slack?.close();
});

let n = 0;
/** `/her2 <text>`: the message the bot answered with, in the ack or through response_url. */
async function slash(text: string): Promise<{ text: string; blocks: unknown[] }> {
  const path = `/response/mrkdwn-${++n}`;
  const body = slashCommandBody(text, `${slack.url}${path}`);
  const res = await fetch(`${bot.url}/slack/events`, {
    method: 'POST',
    body,
    headers: slackHeaders(body, { contentType: 'application/x-www-form-urlencoded' }),
  });
  const raw = await res.text();
  if (raw) return JSON.parse(raw) as { text: string; blocks: unknown[] };
  return (await slack.waitFor((r) => r.path === path)).body as { text: string; blocks: unknown[] };
}

/** Every text Slack would parse as mrkdwn: the fallback and each mrkdwn text object, with its verbatim flag. */
function mrkdwnTexts(message: { text: string; blocks: unknown[] }) {
  const out: { text: string; verbatim: boolean | undefined }[] = [{ text: message.text, verbatim: undefined }];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'mrkdwn') out.push({ text: String(o.text), verbatim: o.verbatim as boolean | undefined });
      Object.values(o).forEach(visit);
    }
  };
  visit(message.blocks);
  return out;
}

function expectLiteral(message: { text: string; blocks: unknown[] }, mustMention: RegExp) {
  const texts = mrkdwnTexts(message);
  expect(texts.some((t) => mustMention.test(t.text))).toBe(true); // the user's words are there…
  for (const { text, verbatim } of texts) {
    expect(text).not.toMatch(/[*_~`]qxz|qxz.[*_~`]|```/); // …as no formatting
    expect(text).not.toMatch(/<!channel>|<https:\/\/evil/); // no ping, no forged link
    expect(text).not.toMatch(/https:\/\/evil\.example\/login/); // no bare link in the fallback either
    if (verbatim !== undefined) expect(verbatim).toBe(true); // blocks: Slack links nothing by itself
  }
}

describe('hostile mrkdwn in what the user typed is shown literally', () => {
  it('in the “no match” answer', async () => {
    const message = await slash('*qxzb* _qxzi_ ~qxzs~ `qxzc` ```qxzf``` <!channel>');
    expect(JSON.stringify(message)).toContain('Nothing in the knowledge base matches');
    expectLiteral(message, /qxzb/);
  });

  it('in “not a digest command”', async () => {
    expectLiteral(await slash(`digest ${HOSTILE}`), /qxzb.*is not a digest command/);
  });

  it('in “could not match” (digest subscribe with unknown topics)', async () => {
    expectLiteral(await slash(`digest subscribe ${HOSTILE}`), /could not match.*qxzb/);
  });
});

describe('slackText', () => {
  it('replaces formatting characters at word edges and leaves snake_case words and P<0.05 readable', async () => {
    const { slackText } = await import('../src/cards/escape.ts');
    expect(slackText('channel_not_found')).toBe('channel_not_found');
    expect(slackText('*x* _y_ ~z~ `c`')).not.toMatch(/[*_~`]/);
    expect(slackText('P<0.05 & HR>1')).toBe('P&lt;0.05 &amp; HR&gt;1');
  });
});
