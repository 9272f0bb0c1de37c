import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../src/knowledge/load.ts';
import { createLogger } from '../src/logger.ts';
import { buildSearcher, openSearch, writeIndexFile } from '../src/search/engine.ts';
import { MAX_QUERY_CHARS } from '../src/search/search.ts';

const kb = loadKnowledge();
const { searcher } = buildSearcher(kb);

const HOSTILE = [
  '',
  '   ',
  '\t\n',
  'x'.repeat(10_000),
  'her2 '.repeat(2_000),
  '!!!???...',
  'her2+',
  'pi3k:',
  'title:pi3k',
  '~',
  '^2',
  'her2~x',
  'HER2 -',
  '+her2 -pi3k *',
  '"unclosed',
  '🧬🔬💊',
  'ترастузумаб مقاومة', // right-to-left text
  'שלום עולם',
  '\u0000\u0001\u0007\u001b[31m',
  '\u202eevil',
  '<!channel> <@U123> *bold* [link](http://x) {{handlebars}} "}]}',
  'a'.repeat(60),
  '-'.repeat(500),
  '1'.repeat(300),
];

describe('search never throws', () => {
  it.each(HOSTILE.map((q) => [JSON.stringify(q).slice(0, 40), q]))('handles %s', (_label, query) => {
    const result = searcher.search(query);
    expect(Array.isArray(result.hits)).toBe(true);
    expect(result.query.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
  });

  it('answers lunr operator characters as plain words: "pi3k:" finds the PI3K mechanism', () => {
    expect(searcher.search('pi3k:').hits[0]?.id).toBe('mech-pi3k-pathway-activation');
    expect(searcher.search('her2+ p95').hits[0]?.id).toBe('mech-p95her2');
  });

  it('returns no hits for words the knowledge base does not know', () => {
    expect(searcher.search('zzqx').hits).toEqual([]);
    expect(searcher.search('weather today').hits).toEqual([]);
  });

  it('corrects one or two typos in a long name: lapatinnnb, pertuzzzmab', () => {
    expect(searcher.search('lapatinnnb').hits[0]?.id).toBe('agent-lapatinib');
    expect(searcher.search('pertuzzzmab').hits[0]?.id).toBe('agent-pertuzumab');
  });

  it('suggests the nearest names ("did you mean") when a word is too far off to match', () => {
    const result = searcher.search('kadsilla');
    expect(result.hits).toEqual([]);
    expect(result.suggestions).toEqual([{ id: 'agent-t-dm1', text: 'T-DM1 (trastuzumab emtansine)' }]);
    expect(searcher.search('trastuzumabbbb').suggestions.map((s) => s.id)).toContain('agent-trastuzumab');
  });

  // Not a speed test (bench/search.ts measures speed): the bound only catches runaway behaviour such as
  // catastrophic regex backtracking, generous enough to hold on a loaded two-core CI machine.
  it('survives a thousand and more random and hostile strings, none of them taking runaway time', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 -/:~^+*"\'()[]{}<>!?.,;αβγ🧬\u0000\u200f\u202eé';
    const vocabulary = ['her2', 'pi3k', 't-dm1', 'vs', 'lapatinib', 'resistance', 'p95', 'trial', 'bolero', '17-aag'];
    let slowest = 0;
    for (let i = 0; i < 1500; i++) {
      const length = Math.floor(random() * (i % 10 === 0 ? 2000 : 60));
      let q = '';
      while (q.length < length) {
        q +=
          random() < 0.3
            ? `${vocabulary[Math.floor(random() * vocabulary.length)]} `
            : alphabet[Math.floor(random() * alphabet.length)];
      }
      const started = performance.now();
      const result = searcher.search(q);
      slowest = Math.max(slowest, performance.now() - started);
      expect(result.hits.every((h) => Number.isFinite(h.score))).toBe(true);
    }
    expect(slowest).toBeLessThan(2000);
  }, 120_000);
});

describe('the serialized index', () => {
  const logLines = () => {
    const lines: string[] = [];
    return { lines, logger: createLogger({ level: 'warn', destination: { write: (l: string) => lines.push(l) } }) };
  };

  it('loads a current index file without rebuilding and gives the same answers', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'her2bot-index-')), 'index.json');
    writeIndexFile(kb, path);
    const { lines, logger } = logLines();
    const opened = openSearch(kb, { indexPath: path, logger });
    expect(opened.origin).toBe('loaded');
    expect(lines).toEqual([]);
    expect(opened.searcher.search('kadcyla').hits[0]?.id).toBe(searcher.search('kadcyla').hits[0]?.id);
  });

  it('rebuilds, says so in the log and rewrites the file when the knowledge base changed', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'her2bot-index-')), 'index.json');
    writeIndexFile(kb, path);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...file, fingerprint: 'stale' }));
    const { lines, logger } = logLines();
    const opened = openSearch(kb, { indexPath: path, logger });
    expect(opened.origin).toBe('rebuilt');
    expect(lines.join('')).toContain('the knowledge base changed since the index was built');
    expect(openSearch(kb, { indexPath: path }).origin).toBe('loaded');
  });

  it('rebuilds when there is no index file yet', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'her2bot-index-')), 'missing', 'index.json');
    expect(openSearch(kb, { indexPath: path }).reason).toBe('no index file yet');
  });
});
