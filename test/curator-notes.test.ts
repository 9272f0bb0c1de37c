/**
 * Nothing written for the knowledge base's editors reaches a reader. Every entity is rendered on every
 * surface (Slack, Teams, text, the Slack unfurl, its Agents/Evidence lists) and every reader-facing
 * field of the data is read; neither may contain a curator's instruction. Instructions belong in
 * `curatorNotes`, which is validated but never rendered.
 */
import { describe, expect, it } from 'vitest';
import { renderAnswer } from '../src/cards/render.ts';
import { renderSlackUnfurl } from '../src/cards/slack.ts';
import { cardView } from '../src/cards/view.ts';
import { Core } from '../src/core.ts';
import { displayName, REVIEW_ID } from '../src/knowledge/knowledge-base.ts';

/** Phrasing that addresses an editor (or the bot) instead of informing a reader. */
const CURATOR_PHRASES: RegExp[] = [
  /\bsay so\b/i,
  /\b(do not|don't|never) (call|quote|state|attribute|say|cite|repeat|present|pool|fix|describe)\b/i,
  /\bquote (it |them |this |these |figures |numbers )?only\b/i,
  /\bwrongly\b/i,
  /\blabel (it|them|this|these)\b/i,
  /\btreat (it |them )?as\b/i,
  /\bprefer\b/i,
  /\bshould read\b/i,
  /\b(the|our|main|fact) sheet\b/i,
  /§\s?\d/,
  /\[(V|U)(:[^\]]*)?\]/,
  /\bcurator/i,
  /\bhedge[ds]?\b/i,
];

const core = await Core.open();
const kb = core.kb;
const ids = [
  REVIEW_ID,
  ...kb.mechanisms.map((m) => m.id),
  ...kb.agents.map((a) => a.id),
  ...kb.evidence.map((e) => e.id),
];

function offending(text: string): string[] {
  return CURATOR_PHRASES.filter((p) => p.test(text)).map((p) => `${p} in: ${snippet(text, p)}`);
}

function snippet(text: string, p: RegExp): string {
  const at = text.search(p);
  return text.slice(Math.max(0, at - 60), at + 80);
}

/** Every string a reader could be shown: all fields except ids, links and curatorNotes. */
function readerStrings(value: unknown, key = ''): string[] {
  if (key === 'curatorNotes' || key === 'sources' || key === 'source' || key === 'idSource') return [];
  if (typeof value === 'string') return /^(https?:|(mech|agent|ev)-)/.test(value) ? [] : [value];
  if (Array.isArray(value)) return value.flatMap((v) => readerStrings(v, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => readerStrings(v, k));
  return [];
}

describe('curator notes never reach a reader', () => {
  it('has a phrase list that catches the instructions it is meant for', () => {
    for (const sentence of [
      'Say so.',
      'HER2CLIMB was described as phase 2; do not call it phase 3.',
      'Quote only with this caveat.',
      'an mdedge BOLERO-3 report wrongly says it is approved',
      'No PMID is verified; do not state one.',
      'The sheet grades this A/B.',
    ]) {
      expect(offending(sentence), sentence).not.toEqual([]);
    }
    expect(offending('HER2CLIMB was a randomized phase 2 trial that served as the registration trial.')).toEqual([]);
    expect(offending('Small-molecule inhibitors act inside the cell and do not need the ectodomain.')).toEqual([]);
  });

  it.each(ids)('%s: no curator phrasing on Slack, Teams, text or the unfurl', (id) => {
    const answers = [
      core.answerFor(id)!,
      core.handleAction({ a: 'evidence', id }),
      core.handleAction({ a: 'agents', id }),
    ];
    const problems = answers.flatMap((answer) => {
      const rendered = [
        JSON.stringify(renderAnswer(answer, 'slack', kb)),
        JSON.stringify(renderAnswer(answer, 'teams', kb)),
        String(renderAnswer(answer, 'text', kb)),
        JSON.stringify(renderSlackUnfurl(cardView(answer, (x) => displayName(kb, x)))),
      ];
      return rendered.flatMap(offending);
    });
    expect([...new Set(problems)]).toEqual([]);
  });

  it('has no curator phrasing in any reader-facing field of the data, shown on a card or not', () => {
    const problems = [
      ...readerStrings(kb.review).flatMap((t) => offending(t).map((p) => `review: ${p}`)),
      ...[...kb.mechanisms, ...kb.agents, ...kb.evidence].flatMap((item) =>
        readerStrings(item).flatMap((t) => offending(t).map((p) => `${item.id}: ${p}`)),
      ),
      ...readerStrings(kb.scope).flatMap((t) => offending(t).map((p) => `scope: ${p}`)),
    ];
    expect(problems).toEqual([]);
  });

  it('keeps curator notes in the data, out of every rendering and out of ask --format json', async () => {
    const { jsonAnswer } = await import('../src/cli/ask.ts');
    const { withoutCuratorNotes } = await import('../src/knowledge/curator-notes.ts');
    const mechanism = kb.mechanismsById.get('mech-pi3k-pathway-activation')!;
    const note = mechanism.curatorNotes[0]!;
    expect(note.length).toBeGreaterThan(0);
    const answer = core.answerFor(mechanism.id)!;
    for (const surface of ['slack', 'teams', 'text'] as const) {
      expect(JSON.stringify(renderAnswer(answer, surface, kb))).not.toContain(note.slice(0, 40));
    }
    const json = JSON.stringify(jsonAnswer(core, 'resistance pi3k'), withoutCuratorNotes);
    expect(json).toContain('PI3K pathway activation');
    expect(json).not.toContain('curatorNotes');
  });
});
