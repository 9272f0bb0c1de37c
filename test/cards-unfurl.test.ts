import { describe, expect, it } from 'vitest';
import { renderSlackUnfurl } from '../src/cards/slack.ts';
import { cardView } from '../src/cards/view.ts';
import { Core } from '../src/core.ts';
import { displayName } from '../src/knowledge/knowledge-base.ts';

const core = await Core.open();
const nameOf = (id: string) => displayName(core.kb, id);

describe('the compact Slack unfurl', () => {
  const answer = core.answerFor('ev-emilia-2012');
  if (answer?.type !== 'evidence') throw new Error('EMILIA is no longer in the knowledge base');
  const view = cardView(answer, nameOf);
  const text = (blocks: ReturnType<typeof renderSlackUnfurl>) => JSON.stringify(blocks);

  it('shows the key result, what the study supports and its evidence level', () => {
    const shown = text(renderSlackUnfurl(view));
    expect(shown).toContain('Supports: ');
    expect(shown).toContain('Evidence level ');
  });

  it('finds them by their role, not by the headings a curator may reword', () => {
    const reworded = {
      ...view,
      sections: view.sections.map((s) => ({ ...s, heading: `${s.heading} (renamed)` })),
      facts: view.facts.map((f) => ({ ...f, label: `${f.label} (renamed)` })),
    };
    expect(text(renderSlackUnfurl(reworded))).toBe(text(renderSlackUnfurl(view)));
  });
});

describe('Teams wording', () => {
  it('is one object per way of asking, so rendered cards are reused', async () => {
    const { teamsSyntax } = await import('../src/cards/teams.ts');
    expect(teamsSyntax(true, 'HER2 Bot')).toBe(teamsSyntax(true, 'HER2 Bot'));
    expect(teamsSyntax(false)).not.toBe(teamsSyntax(true));
    expect(teamsSyntax(true, 'HER2 Bot').prefix).toBe('@HER2 Bot ');
  });
});
