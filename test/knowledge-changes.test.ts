import { describe, expect, it } from 'vitest';
import { DISCLAIMER } from '../src/cards/disclaimer.ts';
import { renderAnswer } from '../src/cards/render.ts';
import { renderSlack } from '../src/cards/slack.ts';
import { renderTeams } from '../src/cards/teams.ts';
import { slackProblems, teamsProblems } from '../src/cards/validate.ts';
import { cardView } from '../src/cards/view.ts';
import { main } from '../src/cli/main.ts';
import { parseCommand } from '../src/commands/parse.ts';
import { Core } from '../src/core.ts';
import { displayName } from '../src/knowledge/knowledge-base.ts';
import { formatProblem, inspectKnowledge } from '../src/knowledge/load.ts';
import { isError } from '../src/knowledge/problem.ts';
import { captureIo } from './helpers/capture-io.ts';
import { copyMinKb } from './helpers/kb-fixture.ts';
import { difference, knowledgeAt, knowledgeNow } from './helpers/kb-history.ts';

const core = await Core.open();
const kb = core.kb;
const errorsOf = (dir: string) => inspectKnowledge(dir).problems.filter(isError).map(formatProblem);

describe('knowledge base 2.0.0', () => {
  it('is version 2.0.0 of 2026-12-01, on every card and every surface', () => {
    expect([kb.version, kb.versionDate]).toEqual(['2.0.0', '2026-12-01']);
    for (const answer of [core.answer('destiny-breast09'), core.answer('help'), core.answer("what's new")]) {
      expect(String(renderAnswer(answer, 'text', kb))).toContain('Knowledge base 2.0.0 (2026-12-01)');
      expect(JSON.stringify(renderAnswer(answer, 'slack', kb))).toContain('2.0.0');
      expect(JSON.stringify(renderAnswer(answer, 'teams', kb))).toContain('2.0.0');
    }
  });

  it('lists, for 2.0.0, exactly what git shows was added, changed and removed since 1.0.0', (ctx) => {
    const [newest, previous] = kb.changes.releases;
    const before = previous?.commit ? knowledgeAt(previous.commit) : undefined;
    if (!before) {
      ctx.skip('skipped: the 1.0.0 commit is not in this checkout (a shallow clone?)');
      return;
    }
    const computed = difference(before, knowledgeNow());
    const sorted = (ids: Iterable<string>) => [...new Set(ids)].sort();
    expect(sorted(newest!.added)).toEqual(sorted(computed.added));
    expect(sorted(newest!.removed)).toEqual(sorted(computed.removed));
    expect(sorted([...newest!.changed, ...newest!.corrected.map((c) => c.id)])).toEqual(sorted(computed.changed));
  });

  it('adds the addendum trials and agents and records the audit corrections', () => {
    const release = kb.releasesSince('1.0.0')[0]!;
    expect(release.added).toEqual(
      expect.arrayContaining(['ev-destiny-breast09', 'ev-destiny-breast05', 'agent-zanidatamab']),
    );
    expect(release.corrected.map((c) => c.id)).toEqual(
      expect.arrayContaining(['ev-cleopatra-2012', 'mech-impaired-adcc-fcgr', 'mech-her2-loss-heterogeneity']),
    );
  });
});

describe('release-history lint', () => {
  it('requires the newest release to be the version every card shows', () => {
    const fixture = copyMinKb();
    fixture.edit('changes.yaml', (t) => t.replace('version: "0.0.1"', 'version: "0.0.2"'));
    expect(errorsOf(fixture.dir)).toContain(
      'changes.yaml 0.0.2: the newest release is 0.0.2 (2026-01-01) but review.yaml says 0.0.1 (2026-01-01)',
    );
  });

  it('rejects an unknown id, releases out of order, and an item both added and changed', () => {
    const fixture = copyMinKb();
    fixture.edit(
      'changes.yaml',
      (t) =>
        `${t.replace('added: [mech-test-pathway,', 'changed: [ev-test-trial]\n    added: [ev-test-gone, ev-test-trial, mech-test-pathway,')}  - version: "0.1.0"\n    date: "2025-01-01"\n    summary: Later than 0.0.1.\n`,
    );
    expect(errorsOf(fixture.dir)).toEqual(
      expect.arrayContaining([
        'changes.yaml 0.0.1: unknown id ev-test-gone',
        'changes.yaml 0.0.1: releases must run newest first (0.1.0 follows it)',
        'changes.yaml 0.0.1: ev-test-trial is listed as added and also as changed or corrected',
      ]),
    );
  });
});

describe("what's new", () => {
  it.each(["what's new", 'whats new?', 'What’s new', 'what is new', 'changes', 'changelog'])(
    '"%s" asks for it',
    (text) => {
      expect(parseCommand(text)).toEqual({ type: 'whats-new' });
    },
  );

  it('leaves questions that only contain the words to search', () => {
    expect(parseCommand("what's new in pi3k").type).toBe('search');
    expect(parseCommand('changes in HER2 expression').type).toBe('search');
  });

  it('answers with the release as a card, valid on Slack and Teams, naming trials as readers know them', () => {
    const answer = core.answer("what's new");
    expect(answer.type).toBe('changes');
    const view = cardView(answer, (id) => displayName(kb, id));
    const slack = renderSlack(view, { shareable: true });
    const teams = renderTeams(view);
    expect(slackProblems(slack)).toEqual([]);
    expect(teamsProblems(teams)).toEqual([]);
    const text = String(renderAnswer(answer, 'text', kb));
    expect(text).toContain("What's new in the knowledge base 2.0.0 (2026-12-01)");
    expect(text).toMatch(/Added \(18\)/);
    expect(text).toContain('DESTINY-Breast09');
    expect(text).toContain('Corrected');
    expect(text).toContain('CLEOPATRA');
    expect(text).toContain(DISCLAIMER);
    expect(text).not.toMatch(/\b(?:mech|agent|ev)-[a-z0-9]+-[a-z0-9-]+/);
  });

  it('is the same answer for the slash command and a mention (one core path)', () => {
    expect(core.answer("what's new")).toEqual(core.answer('  What’s new  '));
  });
});

describe('her2bot kb changes', () => {
  it('lists the newest release: added, corrected, changed, with names', async () => {
    const io = captureIo();
    expect(await main(['kb', 'changes'], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/^Knowledge base 2\.0\.0 \(2026-12-01\): /);
    expect(text).toMatch(/added \(18\):/);
    expect(text).toMatch(/ev-destiny-breast09\s+DESTINY-Breast09/);
    expect(text).toMatch(/corrected \(\d+\):/);
    expect(text).toMatch(/mech-impaired-adcc-fcgr\s+Impaired ADCC \/ FcγR: Margetuximab .* level B/);
  });

  it('takes --since and --json, and rejects an unknown version', async () => {
    const io = captureIo();
    expect(await main(['kb', 'changes', '--since', '1.0.0', '--json'], io)).toBe(0);
    const json = JSON.parse(io.stdout.join(''));
    expect(json.releases.map((r: { version: string }) => r.version)).toEqual(['2.0.0']);
    const none = captureIo();
    expect(await main(['kb', 'changes', '--since', '2.0.0'], none)).toBe(0);
    expect(none.stdout.join('')).toMatch(/No release after 2\.0\.0/);
    const bad = captureIo();
    expect(await main(['kb', 'changes', '--since', '9.9.9'], bad)).not.toBe(0);
    expect(bad.stderr.join('')).toMatch(/no release 9\.9\.9; releases: 2\.0\.0, 1\.0\.0/);
  });
});
