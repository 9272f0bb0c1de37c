import { describe, expect, it } from 'vitest';
import type { Answer } from '../src/answer/answer.ts';
import { RenderedAnswers } from '../src/cards/rendered-answers.ts';

const notice = (message: string) =>
  ({
    type: 'notice',
    title: 'No digest here',
    message,
    details: [],
    kb: { version: '2.0.0', date: '2026-12-01' },
  }) as unknown as Answer;

describe('rendered answers, kept per answer and variant', () => {
  it('renders an answer built afresh with the same content once, and a changed one again', () => {
    const cache = new RenderedAnswers<string, { n: number }>();
    let renders = 0;
    const render = () => ({ n: ++renders });
    const first = cache.get(notice('This channel has no digest subscription.'), 'plain', render);
    const again = cache.get(notice('This channel has no digest subscription.'), 'plain', render);
    const other = cache.get(notice('This chat has no digest subscription.'), 'plain', render);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(renders).toBe(2);
  });

  it('keeps variants apart, whether named by a string or by an object', () => {
    const cache = new RenderedAnswers<string | object, string>();
    const answer = notice('x');
    const [channel, chat] = [{ prefix: '@Bot ' }, { prefix: '' }];
    expect(cache.get(answer, 'shareable', () => 'shareable')).toBe('shareable');
    expect(cache.get(answer, 'plain', () => 'plain')).toBe('plain');
    expect(cache.get(answer, channel, () => 'channel')).toBe('channel');
    expect(cache.get(notice('x'), chat, () => 'chat')).toBe('chat');
    expect(cache.get(notice('x'), channel, () => 'rendered again')).toBe('channel');
  });

  it('forgets the least recently used content beyond its size', () => {
    const cache = new RenderedAnswers<string, string>(2);
    let renders = 0;
    const render = () => `render ${++renders}`;
    for (const m of ['a', 'b', 'c']) cache.get(notice(m), 'plain', render);
    cache.get(notice('a'), 'plain', render);
    expect(renders).toBe(4);
  });
});
