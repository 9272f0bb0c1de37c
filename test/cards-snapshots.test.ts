/**
 * Readable snapshots of a few cards. They change when the knowledge base or a template changes; read
 * the diff, then update with `npx vitest run -u test/cards-snapshots.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { renderAnswer } from '../src/cards/render.ts';
import { Core } from '../src/core.ts';

const core = await Core.open();

describe('card snapshots', () => {
  it('p95 mechanism card as plain text', async () => {
    await expect(renderAnswer(core.answer('p95'), 'text', core.kb)).toMatchFileSnapshot(
      './__snapshots__/mechanism-p95.txt',
    );
  });

  it('EMILIA evidence card as plain text', async () => {
    await expect(renderAnswer(core.answer('T-DM1 vs lapatinib'), 'text', core.kb)).toMatchFileSnapshot(
      './__snapshots__/evidence-emilia.txt',
    );
  });

  it('the whole EMILIA card (More details) as plain text', async () => {
    await expect(renderAnswer(core.answerFor('ev-emilia-2012')!, 'text', core.kb)).toMatchFileSnapshot(
      './__snapshots__/evidence-emilia-whole.txt',
    );
  });

  it('T-DM1 agent card as plain text', async () => {
    await expect(renderAnswer(core.answer('kadcyla'), 'text', core.kb)).toMatchFileSnapshot(
      './__snapshots__/agent-t-dm1.txt',
    );
  });

  it('resistance pi3k as Slack Block Kit', async () => {
    const json = JSON.stringify(renderAnswer(core.answer('resistance pi3k'), 'slack', core.kb), null, 2);
    await expect(json).toMatchFileSnapshot('./__snapshots__/slack-resistance-pi3k.json');
  });

  it('neratinib evidence as a Teams Adaptive Card', async () => {
    const json = JSON.stringify(renderAnswer(core.answer('neratinib evidence'), 'teams', core.kb), null, 2);
    await expect(json).toMatchFileSnapshot('./__snapshots__/teams-neratinib.json');
  });

  it('no result with did-you-mean, and help, as plain text', async () => {
    const text = `${renderAnswer(core.answer('kadsilla'), 'text', core.kb)}\n---\n${renderAnswer(core.answer('help'), 'text', core.kb)}`;
    await expect(text).toMatchFileSnapshot('./__snapshots__/none-and-help.txt');
  });
});
