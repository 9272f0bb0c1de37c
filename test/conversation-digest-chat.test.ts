/** The digest's chat commands, called directly: what they say about where they are and what went wrong. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../src/answer/answer.ts';
import { loadConfig } from '../src/config.ts';
import { DigestChat } from '../src/conversation/digest-chat.ts';
import type { DigestRequest } from '../src/conversation/digest-commands.ts';
import { Core } from '../src/core.ts';
import { DigestService } from '../src/digest/service.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { tempDir } from './helpers/store-fixture.ts';

let folder: ReturnType<typeof tempDir>;
let store: Store;
let chat: DigestChat;

beforeAll(async () => {
  folder = tempDir();
  store = await openStore(join(folder.dir, 'chat.db'));
  const core = await Core.open();
  chat = new DigestChat(core, store, new DigestService(core, loadConfig({}).digest, { sources: [] }), undefined);
});

afterAll(async () => {
  await store.close();
  folder.remove();
});

let conversation = 0;
async function say(text: string, kind?: DigestRequest['kind']): Promise<string> {
  conversation += 1;
  const reply = await chat.handle({
    conversationKey: `teams:a:personal-${conversation}`,
    userId: 'u1',
    args: text.split(' '),
    ...(kind ? { kind } : {}),
  });
  const answer = reply.answer as Extract<Answer, { type: 'notice' }>;
  return [answer.title, answer.message, ...answer.details].join('\n');
}

describe('digest subscribe', () => {
  it('says “unknown time zone” for an Area/City that is no time zone, and subscribes nothing', async () => {
    const reply = await say('subscribe 07:30 Mars/Olympus');
    expect(reply).toContain('Not subscribed');
    expect(reply).toContain('“Mars/Olympus” is an unknown time zone');
    expect(reply).not.toMatch(/mechanism or agent\./);
    expect(await store.subscriptions.get(`teams:a:personal-${conversation}`)).toBeUndefined();
  });

  it('still reads a real zone and a topic written with a slash', async () => {
    expect(await say('subscribe 07:30 Europe/Berlin')).toContain('daily at 07:30 (Europe/Berlin)');
    expect(await say('subscribe PI3K/AKT')).toContain('Digest subscribed');
  });
});

describe('where the digest is: this channel or this chat', () => {
  it('says “this chat” in a personal chat, for status, subscribe and unsubscribe', async () => {
    const status = await say('status', 'chat');
    expect(status).toContain('This chat has no digest subscription');
    expect(status).not.toMatch(/channel/i);
    expect(await say('subscribe', 'chat')).toContain('This chat gets the HER2 resistance literature digest');
    expect(await say('unsubscribe', 'chat')).toContain('This chat has no active digest subscription');
  });

  it('says “this channel” in a channel', async () => {
    expect(await say('status', 'channel')).toContain('This channel has no digest subscription');
    expect(await say('status')).toContain('This channel has no digest subscription');
  });
});
