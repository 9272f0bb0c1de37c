import { describe, expect, it } from 'vitest';
import { type Place, replyTo } from '../src/conversation/reply.ts';
import { Core } from '../src/core.ts';
import { silentLogger } from '../src/logger.ts';

const core = await Core.open();
const place: Place = {
  conversationKey: 'test:conversation',
  userId: 'u1',
  syntax: { prefix: '/her2 ', question: 'your question', elsewhere: '' },
};

describe('the reply path and the core share one answer per question', () => {
  // Renderers cache cards by the answer object, so a question asked again must bring back the same object.
  it('a search typed again, differently spaced and cased, is the cached answer of the core', async () => {
    const first = await replyTo('Kadcyla', place, { core, logger: silentLogger });
    const again = await replyTo('  kadcyla ', place, { core, logger: silentLogger });
    expect(first).toMatchObject({ visibility: 'public', answer: { type: 'agent' } });
    expect(again.answer).toBe(first.answer);
    expect(core.answer('KADCYLA')).toBe(first.answer);
  });

  it('a subcommand is answered once and then from the cache', async () => {
    const help = await replyTo('help', place, { core, logger: silentLogger });
    expect(help).toMatchObject({ visibility: 'public', answer: { type: 'help' } });
    expect((await replyTo('HELP', place, { core, logger: silentLogger })).answer).toBe(help.answer);
  });
});
