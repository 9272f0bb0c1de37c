/**
 * What the compose box gets: message-extension results and link unfurls, called with fake
 * arguments. Their cards are Adaptive Card 1.3, checked with Microsoft's renderer SDK at that version.
 */
import type { MessagingExtensionQuery } from 'botbuilder';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TeamsDeps } from '../handlers/teams/deps.ts';
import { onLinkQuery } from '../handlers/teams/message-extensions/link-unfurl.ts';
import { onSearch } from '../handlers/teams/message-extensions/search.ts';
import type { AdaptiveCard } from '../src/cards/teams.ts';
import { teamsProblems } from '../src/cards/validate.ts';
import { Core } from '../src/core.ts';
import { silentLogger } from '../src/logger.ts';

let deps: TeamsDeps;
beforeAll(async () => {
  deps = { core: await Core.open(), logger: silentLogger };
});

type Result = { content: AdaptiveCard; preview: { content: { title: string } } };
const attachments = (response: { composeExtension?: { attachments?: unknown[] } }) =>
  (response.composeExtension?.attachments ?? []) as Result[];
const search = (parameters: MessagingExtensionQuery['parameters']) =>
  attachments(onSearch({ commandId: 'searchKnowledge', parameters }, deps));

describe('message-extension search', () => {
  it('finds EMILIA from the query parameter', () => {
    expect(search([{ name: 'query', value: 'T-DM1 vs lapatinib' }])[0]?.preview.content.title).toBe('EMILIA');
  });

  it('falls back to the only parameter when it comes without a name', () => {
    const results = search([{ value: 'T-DM1 vs lapatinib' }]);
    expect(results[0]?.preview.content.title).toBe('EMILIA');
  });

  it('does not guess between several parameters none of which is named query: it lists the mechanisms', () => {
    const results = search([{ value: 'T-DM1 vs lapatinib' }, { name: 'other', value: 'p95' }]);
    expect(results).toHaveLength(deps.core.kb.mechanisms.length);
  });

  it('inserts Adaptive Card 1.3 cards that Microsoft’s renderer parses at 1.3 without a complaint', () => {
    const results = search([{ name: 'query', value: 'pi3k' }]);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.content.version).toBe('1.3');
      expect(teamsProblems(r.content, '1.3')).toEqual([]);
    }
  });
});

describe('link unfurl', () => {
  it('unfurls a cited ClinicalTrials.gov link into an Adaptive Card 1.3', () => {
    const [result] = attachments(onLinkQuery({ url: 'https://clinicaltrials.gov/study/NCT00829166' }, deps));
    expect(JSON.stringify(result?.content)).toContain('EMILIA');
    expect(result?.content.version).toBe('1.3');
    expect(teamsProblems(result!.content, '1.3')).toEqual([]);
  });
});

describe('the 1.3 check itself', () => {
  it('reports features newer than 1.3 (a heading style, a Table, Action.Execute)', () => {
    const card = {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.3',
      body: [
        { type: 'TextBlock', text: 'Title', style: 'heading' },
        { type: 'Table', columns: [], rows: [] },
      ],
      actions: [{ type: 'Action.Execute', title: 'Open', verb: 'open' }],
    } as AdaptiveCard;
    const problems = teamsProblems(card, '1.3');
    expect(problems.join('\n')).toMatch(/"style" is supported in version 1\.5/);
    expect(problems.join('\n')).toMatch(/Unknown element type "Table"/);
    expect(problems.join('\n')).toMatch(/Unknown action type "Action.Execute"/);
    expect(teamsProblems({ ...card, version: '1.5' }, '1.5').join('\n')).not.toMatch(/Table|Execute|style/);
  });
});
