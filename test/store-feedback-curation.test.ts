import { beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/logger.ts';
import { migrate } from '../src/store/migrate.ts';
import { MIGRATIONS } from '../src/store/migrations.ts';
import type { CandidateInput, Store } from '../src/store/store.ts';
import { describeEngines } from './helpers/store-engines.ts';
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

describeEngines('feedback, mutes and curation', (engine) => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(async () => {
    clock = manualClock();
    store = await storeWithSubscriber({ now: clock.now }, engine.open);
  });

  describe('feedback', () => {
    it('stores who, where, when, the item, its tags with their reasons and the knowledge-base version', async () => {
      const saved = await store.feedback.record({ ...shown, action: 'useful' });
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
      expect(await store.feedback.list()).toEqual([saved]);
    });

    it('keeps the tags a reader would remove and add', async () => {
      const saved = await store.feedback.record({
        ...shown,
        action: 'wrong_tags',
        tagsRemoved: ['agent-t-dm1'],
        tagsAdded: ['agent-t-dxd', 'agent-t-dxd'],
      });
      expect(saved.tagsRemoved).toEqual(['agent-t-dm1']);
      expect(saved.tagsAdded).toEqual(['agent-t-dxd']);
    });

    it('requires a text for a report, keeps it trimmed, and refuses one that is too long', async () => {
      await expect(store.feedback.record({ ...shown, action: 'report', text: '   ' })).rejects.toThrow(/needs a text/);
      await expect(store.feedback.record({ ...shown, action: 'report', text: 'x'.repeat(2001) })).rejects.toThrow(
        /at most/,
      );
      const report = await store.feedback.record({
        ...shown,
        itemKey: 'answer:ev-cleopatra',
        action: 'report',
        text: ' OS HR wrong ',
      });
      expect(report.text).toBe('OS HR wrong');
      expect(await store.feedback.listReports()).toEqual([report]);
      // A text given with any other action is not kept: only reports carry readers' words.
      expect((await store.feedback.record({ ...shown, action: 'useful', text: 'hello' })).text).toBeUndefined();
    });

    it('refuses tags that are not knowledge-base ids and unknown actions', async () => {
      await expect(store.feedback.record({ ...shown, action: 'useful', tags: ['PI3K'] })).rejects.toThrow(
        /not a mechanism/,
      );
      await expect(store.feedback.record({ ...shown, action: 'nope' as never })).rejects.toThrow(
        /unknown feedback action/,
      );
    });

    it('counts Not relevant presses per conversation and tag', async () => {
      await store.feedback.record({ ...shown, action: 'not_relevant' });
      await store.feedback.record({ ...shown, action: 'useful' });
      await store.feedback.record({
        ...shown,
        itemKey: 'pubmed:99100002',
        action: 'not_relevant',
        tags: ['agent-t-dm1'],
      });
      await store.feedback.record({ ...shown, conversationKey: TEAMS_CHANNEL, action: 'not_relevant' });
      expect(await store.feedback.countNotRelevant(SLACK_CHANNEL, 'agent-t-dm1')).toBe(2);
      expect(await store.feedback.countNotRelevant(SLACK_CHANNEL, 'mech-pi3k-pathway-activation')).toBe(1);
      expect(await store.feedback.countNotRelevant(TEAMS_CHANNEL, 'agent-t-dm1')).toBe(1);
    });

    it('finds one press by its id, and nothing for an id it never gave', async () => {
      const first = await store.feedback.record({ ...shown, action: 'not_relevant' });
      const second = await store.feedback.record({ ...shown, conversationKey: TEAMS_CHANNEL, action: 'useful' });
      expect(await store.feedback.get(first.id)).toEqual(first);
      expect(await store.feedback.get(second.id)).toEqual(second);
      for (const id of [second.id + 1, 0, -1, 1.5, Number.NaN]) expect(await store.feedback.get(id)).toBeUndefined();
    });

    it('does not count a tag that only begins like another one', async () => {
      await store.feedback.record({ ...shown, action: 'not_relevant', tags: ['mech-pi3k-pathway-activation'] });
      expect(await store.feedback.countNotRelevant(SLACK_CHANNEL, 'mech-pi3k-pathway-activation')).toBe(1);
      expect(await store.feedback.countNotRelevant(SLACK_CHANNEL, 'mech-pi3k')).toBe(0);
      expect(await store.feedback.countNotRelevant(SLACK_CHANNEL, 'mech-pi3k-pathway')).toBe(0);
    });

    it('lists reports newest first, only reports, up to a limit', async () => {
      const report = (text: string) =>
        store.feedback.record({ ...shown, itemKey: 'answer:ev-cleopatra', action: 'report', text });
      const older = await report('first');
      await store.feedback.record({ ...shown, action: 'useful' });
      clock.advance(MINUTE);
      const newer = await report('second');
      const sameInstant = await report('third');
      expect((await store.feedback.listReports()).map((r) => r.text)).toEqual(['third', 'second', 'first']);
      expect(await store.feedback.listReports(2)).toEqual([sameInstant, newer]);
      expect(await store.feedback.listReports(0)).toEqual([sameInstant]);
      expect((await store.feedback.list()).at(0)).toEqual(older);
    });

    it('lists since an instant', async () => {
      await store.feedback.record({ ...shown, action: 'useful' });
      clock.advance(MINUTE);
      const later = await store.feedback.record({ ...shown, action: 'not_relevant' });
      expect(await store.feedback.list({ since: new Date(Date.parse(T0) + MINUTE) })).toEqual([later]);
    });
  });

  describe('tag mutes', () => {
    it('mutes once per subscription and tag, lists and unmutes', async () => {
      expect(await store.mutes.mute(SLACK_CHANNEL, 'agent-t-dm1', 'U0001')).toBe(true);
      clock.advance(MINUTE);
      expect(await store.mutes.mute(SLACK_CHANNEL, 'agent-t-dm1', 'U0002')).toBe(false);
      expect(await store.mutes.list(SLACK_CHANNEL)).toEqual([
        { channelKey: SLACK_CHANNEL, tag: 'agent-t-dm1', mutedBy: 'U0001', mutedAt: T0 },
      ]);
      expect(await store.mutes.list(TEAMS_CHANNEL)).toEqual([]);
      expect(await store.mutes.unmute(SLACK_CHANNEL, 'agent-t-dm1')).toBe(true);
      expect(await store.mutes.unmute(SLACK_CHANNEL, 'agent-t-dm1')).toBe(false);
      await expect(store.mutes.mute(SLACK_CHANNEL, 'T-DM1', 'U0001')).rejects.toThrow(/not a mechanism or agent id/);
    });
  });

  describe('tag mutes, several', () => {
    it("lists a channel's mutes oldest first, then by tag", async () => {
      await store.mutes.mute(SLACK_CHANNEL, 'mech-pten-loss', 'U0001');
      await store.mutes.mute(SLACK_CHANNEL, 'agent-t-dm1', 'U0001');
      clock.advance(MINUTE);
      await store.mutes.mute(SLACK_CHANNEL, 'agent-lapatinib', 'U0002');
      expect((await store.mutes.list(SLACK_CHANNEL)).map((m) => m.tag)).toEqual([
        'agent-t-dm1',
        'mech-pten-loss',
        'agent-lapatinib',
      ]);
      expect(await store.mutes.unmute(TEAMS_CHANNEL, 'agent-t-dm1')).toBe(false);
      expect(await store.mutes.list(SLACK_CHANNEL)).toHaveLength(3);
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

    it('queues an item once, newest first, and keeps the first entry', async () => {
      expect(await store.curation.propose(candidate)).toBe(true);
      expect(await store.curation.propose({ ...candidate, subject: 'other' })).toBe(false);
      clock.advance(MINUTE);
      expect(
        await store.curation.propose({
          ...candidate,
          itemKey: 'pubmed:1',
          kind: 'not_in_kb',
          entryId: undefined,
          subject: 'KATHERINE-2',
          matchedBy: 'concept',
        }),
      ).toBe(true);
      const list = await store.curation.list();
      expect(list.map((c) => c.subject)).toEqual(['KATHERINE-2', 'CLEOPATRA']);
      expect(list[1]).toMatchObject({
        status: 'open',
        entryId: 'ev-cleopatra',
        item: candidate.item,
        decidedAt: undefined,
      });
      expect(await store.curation.list({ status: 'accepted' })).toEqual([]);
    });

    it('records a decision with who, when and a note, and notes without deciding', async () => {
      await store.curation.propose(candidate);
      const id = (await store.curation.list())[0]!.id;
      clock.advance(MINUTE);
      expect(await store.curation.annotate(id, 'check the OS figure')).toMatchObject({
        status: 'open',
        note: 'check the OS figure',
      });
      const accepted = await store.curation.decide(id, 'accepted', 'U0CURATOR');
      expect(accepted).toMatchObject({ status: 'accepted', decidedBy: 'U0CURATOR', note: 'check the OS figure' });
      expect(accepted.decidedAt).toBe(new Date(Date.parse(T0) + MINUTE).toISOString());
      expect((await store.curation.decide(id, 'dismissed', 'U0CURATOR', 'duplicate')).note).toBe('duplicate');
      await expect(store.curation.decide(999, 'accepted', 'U0CURATOR')).rejects.toThrow(
        expect.objectContaining({ code: 'not_found' }),
      );
    });

    it('lists by status and up to a limit, and refuses to decide or annotate what is not queued', async () => {
      for (const [i, subject] of ['A', 'B', 'C'].entries()) {
        await store.curation.propose({ ...candidate, itemKey: `pubmed:${i + 1}`, subject });
        clock.advance(MINUTE);
      }
      const [c, b, a] = await store.curation.list();
      await store.curation.decide(a!.id, 'accepted', 'U0CURATOR');
      await store.curation.decide(b!.id, 'dismissed', 'U0CURATOR');
      expect((await store.curation.list({ status: 'accepted' })).map((x) => x.subject)).toEqual(['A']);
      expect((await store.curation.list({ status: 'dismissed' })).map((x) => x.subject)).toEqual(['B']);
      expect((await store.curation.list({ status: 'open' })).map((x) => x.subject)).toEqual(['C']);
      expect((await store.curation.list({ limit: 2 })).map((x) => x.id)).toEqual([c!.id, b!.id]);
      await expect(store.curation.annotate(999, 'note')).rejects.toThrow(
        expect.objectContaining({ code: 'not_found' }),
      );
      await expect(store.curation.decide(0, 'accepted', 'U0CURATOR')).rejects.toThrow(/positive integer/);
      await expect(store.curation.annotate(a!.id, 'x'.repeat(2001))).rejects.toThrow(/1 to 2000/);
      await expect(store.curation.annotate(a!.id, '   ')).rejects.toThrow(/1 to 2000/);
      expect((await store.curation.get(a!.id))?.note).toBeUndefined();
    });

    it('refuses a new-data candidate without its entry', async () => {
      await expect(store.curation.propose({ ...candidate, entryId: undefined })).rejects.toThrow(/names its entry/);
    });
  });
});

describeEngines('migration 2', (engine) => {
  it('upgrades a database at version 1 without touching its rows', async () => {
    const db = await engine.engineAt(await engine.sharedLocation());
    const now = () => new Date(T0);
    await migrate(db, { logger: silentLogger, now, migrations: MIGRATIONS.slice(0, 1) });
    await db.run(
      `INSERT INTO subscriptions (channel_key, platform, time, time_zone, status, created_at, created_by, updated_at)
       VALUES ('slack:T1:C1', 'slack', '08:00', 'UTC', 'active', @at, 'U1', @at)`,
      { at: T0 },
    );
    expect(await migrate(db, { logger: silentLogger, now })).toBe(MIGRATIONS.length);
    expect(await db.all('SELECT CAST(count(*) AS INTEGER) AS n FROM subscriptions')).toEqual([{ n: 1 }]);
    expect(await db.all('SELECT CAST(count(*) AS INTEGER) AS n FROM feedback')).toEqual([{ n: 0 }]);
  });
});
