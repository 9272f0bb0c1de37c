import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/logger.ts';
import { migrate } from '../src/store/migrate.ts';
import { MIGRATIONS } from '../src/store/migrations.ts';
import type { CandidateInput, Store } from '../src/store/store.ts';
import { manualClock, SLACK_CHANNEL, storeWithSubscriber, T0, TEAMS_CHANNEL } from './helpers/store-fixture.ts';

const MINUTE = 60_000;
const shown = {
  userId: 'U0001',
  surface: 'slack',
  conversationKey: SLACK_CHANNEL,
  itemKey: 'pubmed:99100001',
  itemTitle: 'PIK3CA mutation and T-DM1 resistance',
  tags: ['mech-pi3k-pathway-activation', 'agent-t-dm1'],
  reasons: { 'mech-pi3k-pathway-activation': 'PIK3CA mutation' },
  kbVersion: '2.0.0',
} as const;

let store: Store;
let clock: ReturnType<typeof manualClock>;
beforeEach(() => {
  clock = manualClock();
  store = storeWithSubscriber({ now: clock.now });
});
afterEach(() => store.close());

describe('feedback', () => {
  it('stores who, where, when, the item, its tags with their reasons and the knowledge-base version', () => {
    const saved = store.feedback.record({ ...shown, action: 'useful' });
    expect(saved).toEqual({
      ...shown,
      id: saved.id,
      action: 'useful',
      tags: [...shown.tags],
      reasons: { ...shown.reasons },
      tagsRemoved: [],
      tagsAdded: [],
      text: undefined,
      createdAt: T0,
    });
    expect(store.feedback.list()).toEqual([saved]);
  });

  it('keeps the tags a reader would remove and add', () => {
    const saved = store.feedback.record({
      ...shown,
      action: 'wrong_tags',
      tagsRemoved: ['agent-t-dm1'],
      tagsAdded: ['agent-t-dxd', 'agent-t-dxd'],
    });
    expect(saved.tagsRemoved).toEqual(['agent-t-dm1']);
    expect(saved.tagsAdded).toEqual(['agent-t-dxd']);
  });

  it('requires a text for a report, keeps it trimmed, and refuses one that is too long', () => {
    expect(() => store.feedback.record({ ...shown, action: 'report', text: '   ' })).toThrow(/needs a text/);
    expect(() => store.feedback.record({ ...shown, action: 'report', text: 'x'.repeat(2001) })).toThrow(/at most/);
    const report = store.feedback.record({
      ...shown,
      itemKey: 'answer:ev-cleopatra',
      action: 'report',
      text: ' OS HR wrong ',
    });
    expect(report.text).toBe('OS HR wrong');
    expect(store.feedback.listReports()).toEqual([report]);
    // A text given with any other action is not kept: only reports carry readers' words.
    expect(store.feedback.record({ ...shown, action: 'useful', text: 'hello' }).text).toBeUndefined();
  });

  it('refuses tags that are not knowledge-base ids and unknown actions', () => {
    expect(() => store.feedback.record({ ...shown, action: 'useful', tags: ['PI3K'] })).toThrow(/not a mechanism/);
    expect(() => store.feedback.record({ ...shown, action: 'nope' as never })).toThrow(/unknown feedback action/);
  });

  it('counts Not relevant presses per conversation and tag', () => {
    store.feedback.record({ ...shown, action: 'not_relevant' });
    store.feedback.record({ ...shown, action: 'useful' });
    store.feedback.record({ ...shown, itemKey: 'pubmed:99100002', action: 'not_relevant', tags: ['agent-t-dm1'] });
    store.feedback.record({ ...shown, conversationKey: TEAMS_CHANNEL, action: 'not_relevant' });
    expect(store.feedback.countNotRelevant(SLACK_CHANNEL, 'agent-t-dm1')).toBe(2);
    expect(store.feedback.countNotRelevant(SLACK_CHANNEL, 'mech-pi3k-pathway-activation')).toBe(1);
    expect(store.feedback.countNotRelevant(TEAMS_CHANNEL, 'agent-t-dm1')).toBe(1);
  });

  it('lists since an instant', () => {
    store.feedback.record({ ...shown, action: 'useful' });
    clock.advance(MINUTE);
    const later = store.feedback.record({ ...shown, action: 'not_relevant' });
    expect(store.feedback.list({ since: new Date(Date.parse(T0) + MINUTE) })).toEqual([later]);
  });
});

describe('tag mutes', () => {
  it('mutes once per subscription and tag, lists and unmutes', () => {
    expect(store.mutes.mute(SLACK_CHANNEL, 'agent-t-dm1', 'U0001')).toBe(true);
    clock.advance(MINUTE);
    expect(store.mutes.mute(SLACK_CHANNEL, 'agent-t-dm1', 'U0002')).toBe(false);
    expect(store.mutes.list(SLACK_CHANNEL)).toEqual([
      { channelKey: SLACK_CHANNEL, tag: 'agent-t-dm1', mutedBy: 'U0001', mutedAt: T0 },
    ]);
    expect(store.mutes.list(TEAMS_CHANNEL)).toEqual([]);
    expect(store.mutes.unmute(SLACK_CHANNEL, 'agent-t-dm1')).toBe(true);
    expect(store.mutes.unmute(SLACK_CHANNEL, 'agent-t-dm1')).toBe(false);
    expect(() => store.mutes.mute(SLACK_CHANNEL, 'T-DM1', 'U0001')).toThrow(/not a mechanism or agent id/);
  });
});

describe('curation candidates', () => {
  const candidate: CandidateInput = {
    itemKey: 'trial:NCT00567190@2026-11-27',
    kind: 'new_data',
    entryId: 'ev-cleopatra',
    subject: 'CLEOPATRA',
    matchedBy: 'nct',
    item: {
      title: 'CLEOPATRA final analysis',
      url: 'https://clinicaltrials.gov/study/NCT00567190',
      nct: ['NCT00567190'],
    },
    kbVersion: '2.0.0',
  };

  it('queues an item once, newest first, and keeps the first entry', () => {
    expect(store.curation.propose(candidate)).toBe(true);
    expect(store.curation.propose({ ...candidate, subject: 'other' })).toBe(false);
    clock.advance(MINUTE);
    expect(
      store.curation.propose({
        ...candidate,
        itemKey: 'pubmed:1',
        kind: 'not_in_kb',
        entryId: undefined,
        subject: 'KATHERINE-2',
        matchedBy: 'concept',
      }),
    ).toBe(true);
    const list = store.curation.list();
    expect(list.map((c) => c.subject)).toEqual(['KATHERINE-2', 'CLEOPATRA']);
    expect(list[1]).toMatchObject({
      status: 'open',
      entryId: 'ev-cleopatra',
      item: candidate.item,
      decidedAt: undefined,
    });
    expect(store.curation.list({ status: 'accepted' })).toEqual([]);
  });

  it('records a decision with who, when and a note, and notes without deciding', () => {
    store.curation.propose(candidate);
    const id = store.curation.list()[0]!.id;
    clock.advance(MINUTE);
    expect(store.curation.annotate(id, 'check the OS figure')).toMatchObject({
      status: 'open',
      note: 'check the OS figure',
    });
    const accepted = store.curation.decide(id, 'accepted', 'U0CURATOR');
    expect(accepted).toMatchObject({ status: 'accepted', decidedBy: 'U0CURATOR', note: 'check the OS figure' });
    expect(accepted.decidedAt).toBe(new Date(Date.parse(T0) + MINUTE).toISOString());
    expect(store.curation.decide(id, 'dismissed', 'U0CURATOR', 'duplicate').note).toBe('duplicate');
    expect(() => store.curation.decide(999, 'accepted', 'U0CURATOR')).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
  });

  it('refuses a new-data candidate without its entry', () => {
    expect(() => store.curation.propose({ ...candidate, entryId: undefined })).toThrow(/names its entry/);
  });
});

describe('migration 2', () => {
  it('upgrades a database at version 1 without touching its rows', () => {
    const db = new Database(':memory:');
    const now = () => new Date(T0);
    migrate(db, { logger: silentLogger, now, migrations: MIGRATIONS.slice(0, 1) });
    db.prepare(
      `INSERT INTO subscriptions (channel_key, platform, time, time_zone, status, created_at, created_by, updated_at)
       VALUES ('slack:T1:C1', 'slack', '08:00', 'UTC', 'active', ?, 'U1', ?)`,
    ).run(T0, T0);
    expect(migrate(db, { logger: silentLogger, now })).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT count(*) AS n FROM subscriptions').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM feedback').get()).toEqual({ n: 0 });
    db.close();
  });
});
