/**
 * `her2bot digest export`: what a channel was shown, as CSV, RIS and BibTeX, read back with parsers
 * from npm (astrocite-ris, @retorquere/bibtex-parser) the way Zotero and EndNote would read them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { parse as parseRis } from 'astrocite-ris';
import { beforeAll, describe, expect, it } from 'vitest';
import { digestExportCommand } from '../src/cli/digest-export.ts';
import { Core } from '../src/core.ts';
import { Classifier } from '../src/digest/classify.ts';
import { composeDigest } from '../src/digest/compose.ts';
import { exportItems } from '../src/digest/export-formats.ts';
import { shownRecords } from '../src/digest/shown-records.ts';
import { displayName } from '../src/knowledge/knowledge-base.ts';
import { openStore } from '../src/store/store.ts';
import { captureIo } from './helpers/capture-io.ts';
import { paper, trial } from './helpers/digest-literature.ts';
import { tempDir } from './helpers/store-fixture.ts';

let core: Core;
let items: ReturnType<typeof shownRecords>;
const records = [
  paper(99600001, '2026-11-26', 'p95HER2 & "truncated" HER2: {braces}, 50% and $cost_', {
    authors: ['Okafor AN', 'Lee B'],
    doi: '10.5555/fixture.1',
  }),
  paper(99600002, '2026-11-27', '=HYPERLINK("x") PTEN loss under trastuzumab'),
  trial('NCT00567190', '2026-11-27', 'Pertuzumab, Trastuzumab and Docetaxel: Extended Follow-up'),
];

beforeAll(async () => {
  core = await Core.open();
  const digest = composeDigest(
    core.kb,
    new Classifier(core.kb),
    { since: '2026-11-23', until: '2026-11-30' },
    [],
    records,
  );
  items = shownRecords(digest.items, core.kb.version);
});

const posted = () =>
  items.map((i) => ({
    ...i,
    firstSeen: '2026-11-30T07:00:00.000Z',
    updatedAt: '2026-11-30T07:00:00.000Z',
    postedAt: '2026-11-30T07:00:05.000Z',
  }));
const nameOf = (id: string) => displayName(core.kb, id) ?? id;

describe('digest exports', () => {
  it('writes RIS that a RIS parser reads back: titles, authors, DOI, year, link', () => {
    const parsed = parseRis(exportItems('ris', posted(), nameOf));
    expect(parsed).toHaveLength(3);
    const first = parsed.find((p) => p.DOI === '10.5555/fixture.1')!;
    expect(first.title).toContain('p95HER2 & "truncated" HER2: {braces}, 50% and $cost_');
    expect(first.author).toHaveLength(2);
    expect(JSON.stringify(first.author)).toContain('Okafor');
    expect(first.issued?.['date-parts']?.[0]?.[0]).toBe('2026');
    expect(JSON.stringify(parsed)).toContain('https://clinicaltrials.gov/study/NCT00567190');
  });

  it('writes BibTeX that a BibTeX parser reads back without errors, special characters intact', () => {
    const library = parseBibtex(exportItems('bibtex', posted(), nameOf));
    expect(library.errors).toEqual([]);
    expect(library.entries).toHaveLength(3);
    const first = library.entries.find((e) => e.key === 'pmid99600001')!;
    expect(first.type).toBe('article');
    expect(first.fields.title).toBe(
      'p95HER2 & "truncated" HER2: {braces}, 50% and $cost_ in HER2-positive breast cancer',
    );
    expect(first.fields.doi).toBe('10.5555/fixture.1');
    expect(first.fields.author).toHaveLength(2);
    const trialEntry = library.entries.find((e) => e.key === 'nct00567190')!;
    expect(trialEntry.type).toBe('misc');
    expect(trialEntry.fields.url).toBe('https://clinicaltrials.gov/study/NCT00567190');
  });

  it('writes CSV with one row per item, quoting what needs it and defusing formulas', () => {
    const csv = exportItems('csv', posted(), nameOf);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('posted_at,title,authors,journal,date,pmid,doi,nct,url,tags');
    expect(lines).toHaveLength(4);
    expect(csv).toContain('"p95HER2 & ""truncated"" HER2: {braces}, 50% and $cost_ in HER2-positive breast cancer"');
    expect(csv).toContain(`"'=HYPERLINK(""x"") PTEN loss`);
  });

  it('exports from the store what a channel was shown since a date', async () => {
    const folder = tempDir();
    const path = join(folder.dir, 'her2bot.db');
    const store = await openStore(path);
    const key = 'slack:T1:C50';
    await store.subscriptions.subscribe({ channelKey: key, time: '08:00', timeZone: 'UTC', userId: 'U1' });
    const claim = (await store.runs.claimRun(key, '2026-11-30T08:00:00.000Z', 60_000))!;
    await store.digestItems.save(items);
    await store.postedItems.markPosted(
      key,
      items.map((i) => i.itemKey),
      claim.runId,
    );
    await store.close();
    const previous = process.env.DATABASE_PATH;
    process.env.DATABASE_PATH = path;
    try {
      const io = captureIo();
      const out = join(folder.dir, 'week.ris');
      expect(
        await digestExportCommand(['--channel', key, '--since', '2026-11-23', '--format', 'ris', '--out', out], io),
      ).toBe(0);
      expect(io.stdout.join('\n')).toContain('Wrote 3 item(s)');
      expect(parseRis(readFileSync(out, 'utf8'))).toHaveLength(3);
      const none = captureIo();
      await digestExportCommand(['--channel', 'slack:T1:C51', '--since', '2026-11-23'], none);
      expect(none.stderr.join('\n')).toContain('Nothing was posted');
    } finally {
      if (previous === undefined) delete process.env.DATABASE_PATH;
      else process.env.DATABASE_PATH = previous;
      folder.remove();
    }
  });
});
