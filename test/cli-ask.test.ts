import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { captureIo } from './helpers/capture-io.ts';

describe('her2bot ask', () => {
  it('prints the plain-text card with key numbers, source links and the disclaimer', async () => {
    const io = captureIo();
    expect(await main(['ask', 'T-DM1', 'vs', 'lapatinib'], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toContain('EMILIA');
    expect(text).toContain('HR 0.65 (0.55–0.77)');
    expect(text).toContain('https://pubmed.ncbi.nlm.nih.gov/23020162/');
    expect(text).toContain('https://clinicaltrials.gov/study/NCT00829166');
    expect(text).toContain('after the 2011 review (later data)');
    expect(text).toMatch(
      /Knowledge base \d+\.\d+\.\d+ \(\d{4}-\d{2}-\d{2}\) · Research use only, not medical advice\./,
    );
  });

  it('prints JSON with the query, hits best first (ids as in the knowledge base) and the answer', async () => {
    const io = captureIo();
    expect(await main(['ask', 'kadcyla', '--format', 'json'], io)).toBe(0);
    const json = JSON.parse(io.stdout.join(''));
    expect(json.query).toBe('kadcyla');
    expect(json.hits[0]).toMatchObject({
      id: 'agent-t-dm1',
      kind: 'agent',
      title: expect.any(String),
      score: expect.any(Number),
    });
    const scores = json.hits.map((h: { score: number }) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(json.answer.type).toBe('agent');
    expect(json.answer.agent.id).toBe('agent-t-dm1');
  });

  it('answers help in its own words (her2bot ask …) and the list subcommands like the slash command', async () => {
    const io = captureIo();
    await main(['ask', 'help'], io);
    const help = io.stdout.join('\n');
    expect(help).toContain('her2bot ask mechanisms');
    // Only what the command line accepts: `ask` takes no digest commands; `her2bot digest` is its own.
    expect(help).not.toMatch(/her2bot ask digest|subscribe|unsubscribe|in this channel/);
    expect(help).toContain('her2bot digest --dry-run');
    const list = captureIo();
    await main(['ask', 'mechanisms', '--format', 'json'], list);
    const json = JSON.parse(list.stdout.join(''));
    expect(json.answer).toMatchObject({ type: 'results', total: 13 });
  });

  it('reads one query per line with --batch and writes one JSON object per line', async () => {
    const io = captureIo(['p95', '', 'tykerb', 'zzqx']);
    expect(await main(['ask', '--batch'], io)).toBe(0);
    expect(io.stdout).toHaveLength(3);
    const [a, b, c] = io.stdout.map((l) => JSON.parse(l));
    expect(a.hits[0].id).toBe('mech-p95her2');
    expect(b.hits[0].id).toBe('agent-lapatinib');
    expect(c.hits).toEqual([]);
    expect(c.answer.type).toBe('none');
  });

  it('prints exactly what Slack and Teams would be sent with --format slack|teams', async () => {
    const slack = captureIo();
    expect(await main(['ask', 'p95', '--format', 'slack'], slack)).toBe(0);
    const message = JSON.parse(slack.stdout.join(''));
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'p95HER2' } });
    expect(message.text).toContain('Research use only');
    const teams = captureIo();
    expect(await main(['ask', 'p95', '--format', 'teams'], teams)).toBe(0);
    expect(JSON.parse(teams.stdout.join(''))).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
  });

  it('rejects an unknown format with usage and status 2', async () => {
    const io = captureIo();
    expect(await main(['ask', 'p95', '--format', 'pdf'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain("unknown format 'pdf'");
  });
});

describe('her2bot eval', () => {
  it('reports accuracy, MRR@5 and facts for a relevance file and exits 0 when all pass', async () => {
    const io = captureIo();
    const file = new URL('./fixtures/eval/extended.yaml', import.meta.url).pathname;
    expect(await main(['eval', file], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/top-1 accuracy\s+1\nMRR@5\s+1/);
  });
});
