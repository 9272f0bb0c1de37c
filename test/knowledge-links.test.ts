import { describe, expect, it } from 'vitest';
import { renderAnswer } from '../src/cards/render.ts';
import { Core } from '../src/core.ts';
import { formatProblem, inspectKnowledge } from '../src/knowledge/load.ts';
import { isError } from '../src/knowledge/problem.ts';
import { copyMinKb } from './helpers/kb-fixture.ts';

const errorsOf = (dir: string) => inspectKnowledge(dir).problems.filter(isError).map(formatProblem);
const LINK = 'mechanisms.yaml mech-test-pathway agents[0]: agent-test-tki';

/** The fixture's one link (overcomes, level B, resting on a level-A trial), changed. */
function linkErrors(change: (yaml: string) => string): string[] {
  const fixture = copyMinKb();
  fixture.edit('mechanisms.yaml', change);
  return errorsOf(fixture.dir);
}

describe('typed agent–mechanism links: lint', () => {
  it('accepts the fixture link as it is', () => {
    expect(linkErrors((t) => t)).toEqual([]);
  });

  it('needs an evidence item naming both sides for an overcomes link', () => {
    const fixture = copyMinKb();
    fixture.edit('evidence.yaml', (t) => t.replace('mechanisms: [mech-test-pathway]', 'mechanisms: []'));
    fixture.edit('mechanisms.yaml', (t) => t.replace('\n  evidence: [ev-test-trial]\n', '\n  evidence: []\n'));
    expect(errorsOf(fixture.dir)).toContain(
      `${LINK} (overcomes): no evidence item names both the agent and the mechanism`,
    );
  });

  it('never lets a proposed link stand at level A or B, or rest on such evidence', () => {
    expect(linkErrors((t) => t.replace('kind: overcomes', 'kind: proposed'))).toEqual([
      `${LINK} (proposed): a rationale-only link cannot be level B`,
      `${LINK} (proposed): rests on ev-test-trial at level A: with such evidence the link is not only proposed`,
    ]);
  });

  it('keeps not-expected for inference (level E)', () => {
    expect(linkErrors((t) => t.replace('kind: overcomes', 'kind: not-expected'))).toContain(
      `${LINK} (not-expected): an inference is level E, not B (use does-not-overcome)`,
    );
  });

  it('needs evidence for a partner, persists or does-not-overcome link', () => {
    for (const kind of ['partner', 'applies-while-her2-persists', 'does-not-overcome']) {
      const errors = linkErrors((t) =>
        t.replace('kind: overcomes', `kind: ${kind}`).replace('      evidence: [ev-test-trial]\n', ''),
      );
      expect(errors).toContain(`${LINK} (${kind}): lists no evidence`);
    }
  });

  it('rejects a link level better than its best evidence', () => {
    const fixture = copyMinKb();
    fixture.edit('evidence.yaml', (t) => t.replace('  level: A\n', '  level: D\n'));
    expect(errorsOf(fixture.dir)).toContain(`${LINK} (overcomes): level B is better than its best evidence (D)`);
  });

  it('rejects an unknown kind with the field', () => {
    expect(linkErrors((t) => t.replace('kind: overcomes', 'kind: cures'))).toContainEqual(
      expect.stringMatching(/^mechanisms\.yaml:\d+ mech-test-pathway agents\[0\]\.kind: /),
    );
  });
});

const core = await Core.open();

describe('typed agent–mechanism links: the knowledge base and its cards', () => {
  const kb = core.kb;
  const kindOf = (mechanism: string, agent: string) => kb.agentLinks(mechanism).find((l) => l.agent === agent)?.kind;

  it('never says trastuzumab overcomes a mechanism: it is the reference drug', () => {
    expect(kb.mechanismLinks('agent-trastuzumab').map((l) => l.link.kind)).not.toContain('overcomes');
    expect(kindOf('mech-er-crosstalk', 'agent-trastuzumab')).toBe('partner');
    expect(kindOf('mech-p95her2', 'agent-trastuzumab')).toBe('does-not-overcome');
  });

  it('lists drugs used because HER2 persists as such, not as overcoming HER2 loss', () => {
    const links = kb.agentLinks('mech-her2-loss-heterogeneity');
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(l.kind, l.agent).not.toBe('overcomes');
    expect(kindOf('mech-her2-loss-heterogeneity', 'agent-t-dm1')).toBe('applies-while-her2-persists');
  });

  it('grades the margetuximab mechanism claim at level B (no OS gain; genotype analyses exploratory)', () => {
    const link = kb.agentLinks('mech-impaired-adcc-fcgr').find((l) => l.agent === 'agent-margetuximab');
    expect([link?.kind, link?.level]).toEqual(['overcomes', 'B']);
  });

  it('keeps inference-only kinase-inhibitor links against p95HER2 as proposed', () => {
    for (const agent of ['agent-neratinib', 'agent-afatinib', 'agent-tucatinib', 'agent-pyrotinib']) {
      expect(kindOf('mech-p95her2', agent), agent).toBe('proposed');
    }
  });

  it.each(['slack', 'teams', 'text'] as const)('words each kind differently on %s', (surface) => {
    // The whole cards ("More details"): the short first message shows only the first kind of link.
    const pi3k = JSON.stringify(renderAnswer(core.answerFor('mech-pi3k-pathway-activation')!, surface, kb));
    expect(pi3k).toContain('May overcome it');
    expect(pi3k).toContain('Proposed on mechanistic grounds');
    expect(pi3k).toContain('Does not overcome it');
    const loss = JSON.stringify(renderAnswer(core.answerFor('mech-her2-loss-heterogeneity')!, surface, kb));
    expect(loss).toContain('Used while HER2 persists (not shown to overcome HER2 loss)');
    expect(loss).not.toContain('May overcome it');
    const trastuzumab = JSON.stringify(renderAnswer(core.answerFor('agent-trastuzumab')!, surface, kb));
    expect(trastuzumab).not.toContain('Resistance mechanisms it may overcome');
    expect(trastuzumab).toContain('HER2-blockade partner');
  });

  it('words the kind in the Agents list of a mechanism', () => {
    const list = core.handleAction({ a: 'agents', id: 'mech-p95her2' });
    const text = renderAnswer(list, 'text', kb);
    expect(text).toContain('Neratinib (proposed on mechanistic grounds (level E))');
    expect(text).toContain('T-DM1 (trastuzumab emtansine) (not expected to overcome (level E))');
  });
});
