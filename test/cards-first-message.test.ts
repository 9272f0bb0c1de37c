/**
 * The first message answers the question and stays short: for every question of our evaluation sets
 * (eval/questions.yaml and eval/held-out.yaml), the visible text of the first Slack message and of the
 * Teams card is at most 1,500 characters, with the disclaimer, every trial's source link and the
 * later-than-2011 marking kept; the whole card is one click away ("More details").
 *
 * Visible text is defined in test/helpers/visible-text.ts: the words a reader sees (Slack: every text
 * object of the blocks, links by their labels; Teams: every TextBlock, TextRun, fact and action title up
 * to the first Action.ShowCard), joined by newlines, never the JSON around them. For Teams the measure is
 * the whole card's visible text: the bot's cards use no ShowCard, so everything on the card is on its
 * first screen; what is behind "More details", Agents or Evidence is a card of its own.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Answer } from '../src/answer/answer.ts';
import { DISCLAIMER } from '../src/cards/disclaimer.ts';
import { slackUrl, teamsUrl } from '../src/cards/escape.ts';
import { sourceLinks } from '../src/cards/format.ts';
import { renderSlack, SLACK_SYNTAX } from '../src/cards/slack.ts';
import { renderTeams, teamsSyntax } from '../src/cards/teams.ts';
import { cardView } from '../src/cards/view.ts';
import { Core } from '../src/core.ts';
import { EvalSet } from '../src/eval/relevance.ts';
import { displayName } from '../src/knowledge/knowledge-base.ts';
import { slackVisibleText, teamsVisibleText } from './helpers/visible-text.ts';

const FIRST_MESSAGE_MAX = 1500;

const core = await Core.open();
const nameOf = (id: string) => displayName(core.kb, id);
const slack = (a: Answer) => renderSlack(cardView(a, nameOf, SLACK_SYNTAX), { shareable: true });
const teams = (a: Answer) => renderTeams(cardView(a, nameOf, teamsSyntax(true)));
const slackText = (a: Answer) => slackVisibleText(slack(a).blocks);
const teamsText = (a: Answer) => teamsVisibleText(teams(a));

const questions = ['questions.yaml', 'held-out.yaml'].flatMap((f) =>
  EvalSet.parse(parse(readFileSync(new URL(`../eval/${f}`, import.meta.url), 'utf8'))).map((c) => c.query),
);

describe('the first message of every evaluation question', () => {
  it(`is at most ${FIRST_MESSAGE_MAX} visible characters in Slack and in Teams`, () => {
    expect(questions.length).toBeGreaterThan(200);
    const over = questions.flatMap((q) => {
      const a = core.answer(q);
      const lengths = { slack: slackText(a).length, teams: teamsText(a).length };
      return lengths.slack > FIRST_MESSAGE_MAX || lengths.teams > FIRST_MESSAGE_MAX ? [{ q, ...lengths }] : [];
    });
    expect(over).toEqual([]);
  });

  it('keeps the disclaimer, each trial’s source link and the later-than-2011 marking', () => {
    for (const q of questions) {
      const a = core.answer(q);
      if (a.type === 'greeting') continue;
      const blocks = JSON.stringify(slack(a).blocks);
      const card = JSON.stringify(teams(a));
      expect(slackText(a), q).toContain(DISCLAIMER);
      expect(teamsText(a), q).toContain(DISCLAIMER);
      if (a.type !== 'evidence') continue;
      for (const link of sourceLinks(a.evidence)) {
        expect(blocks, q).toContain(slackUrl(link.url));
        expect(card, q).toContain(teamsUrl(link.url));
      }
      if (a.evidence.relativeToReview === 'after') {
        expect(slackText(a), q).toContain('after the 2011 review (later data)');
        expect(teamsText(a), q).toContain('after the 2011 review (later data)');
      }
    }
  });
});

describe('answer first', () => {
  it('leads "cleopatra os" with the overall-survival result', () => {
    const text = slackText(core.answer('cleopatra os'));
    const results = text.indexOf('*Results*');
    expect(results).toBeGreaterThan(0);
    expect(text.slice(results).split('\n')[1]).toMatch(/^OS pertuzumab 56\.5 .* vs placebo 40\.8 .*HR 0\.68/);
  });

  it('gives "neratinib diarrhoea" the diarrhoea figures and the label’s prophylaxis text', () => {
    const text = slackText(core.answer('neratinib diarrhoea'));
    expect(text).toMatch(/grade ≥3 diarrhoea .*13%/);
    expect(text).toContain('The US neratinib label specifies antidiarrhoeal (loperamide) prophylaxis');
  });

  it('leads an agent asked about a toxicity with its safety lines', () => {
    const text = slackText(core.answer('T-DXd ILD'));
    expect(text).toContain('*Safety*');
    expect(text).toMatch(/Interstitial lung disease\/pneumonitis across trials/);
  });

  it('leaves out no detail: "More details" opens the whole card, and sharing keeps the short one', () => {
    const short = core.answer('cleopatra os');
    const message = slack(short);
    const details = message.blocks
      .flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .find((e) => e.type === 'button' && e.text.text === 'More details');
    expect(details).toBeDefined();
    const payload = JSON.parse((details as { value: string }).value);
    const whole = core.handleAction(payload);
    expect(whole.type).toBe('evidence');
    expect(slackText(whole).length).toBeGreaterThan(slackText(short).length);
    // The citation and the caveats are on the whole card only.
    expect(slackText(whole)).toContain('Citation: Swain SM');
    expect(slackText(short)).not.toContain('Citation: Swain SM');

    const share = message.blocks
      .flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .find((e) => e.type === 'button' && e.text.text === 'Share to channel');
    const shared = core.handleAction(JSON.parse((share as { value: string }).value));
    expect(slackText(shared)).toContain('You asked: cleopatra os');
    expect(slackText(shared).length).toBeLessThanOrEqual(FIRST_MESSAGE_MAX);
  });

  it('opens a card by its id whole (buttons on other cards, link unfurls)', () => {
    const whole = core.answerFor('ev-cleopatra-os-2015')!;
    expect('focus' in whole && whole.focus).toBeFalsy();
    expect(slackText(whole)).toContain('*Links to*');
  });
});
