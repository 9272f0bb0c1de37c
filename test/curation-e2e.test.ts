/**
 * The curation loop end to end: a digest item carrying a knowledge-base trial's NCT id is posted as
 * "new data on CLEOPATRA" and queued; a curator (CURATORS) sees the queue in Slack's App Home and in a
 * Teams personal chat and accepts it; `curation export` writes draft YAML that the knowledge base's
 * schema accepts. A non-curator sees no queue and their presses change nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { curationCommand } from '../src/cli/curation.ts';
import { loadConfig } from '../src/config.ts';
import { Evidence } from '../src/knowledge/schema.ts';
import { silentLogger } from '../src/logger.ts';
import { type RunningBot, startBot } from '../src/main.ts';
import type { Store } from '../src/store/store.ts';
import { captureIo } from './helpers/capture-io.ts';
import { paper, StandInSource, settableClock, trial } from './helpers/digest-literature.ts';
import {
  actionBody,
  BOT_TOKEN,
  eventBody,
  type FakeSlack,
  SIGNING_SECRET,
  slackHeaders,
  slashCommandBody,
  startFakeSlack,
} from './helpers/slack.ts';
import { tempDir } from './helpers/store-fixture.ts';
import { type FakeConnector, messageActivity, startFakeConnector } from './helpers/teams.ts';

const CURATOR = 'UCURATOR';
const TEAMS_CURATOR = 'aad-curator';
const clock = settableClock('2026-11-30T07:00:05.000Z');
const trials = new StandInSource('clinicaltrials');
const pubmed = new StandInSource('pubmed');
let slack: FakeSlack;
let connector: FakeConnector;
let folder: ReturnType<typeof tempDir>;
let bot: RunningBot;
let store: Store;
let databasePath: string;

beforeAll(async () => {
  [slack, connector] = await Promise.all([startFakeSlack(), startFakeConnector()]);
  folder = tempDir();
  databasePath = join(folder.dir, 'her2bot.db');
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    PLAYGROUND: 'off',
    TEAMS_AUTH: 'none',
    DATABASE_PATH: databasePath,
    CURATORS: `${CURATOR}, ${TEAMS_CURATOR}`,
  });
  bot = await startBot(config, {
    logger: silentLogger,
    slackRetries: 0,
    digestSources: [pubmed, trials],
    now: clock.now,
  });
  store = bot.store!;
  trials.items = [trial('NCT00567190', '2026-11-27', 'Pertuzumab, Trastuzumab and Docetaxel: Extended Follow-up')];
  pubmed.items = [paper(99500001, '2026-11-28', 'PTEN loss under trastuzumab')];
});

afterAll(async () => {
  await bot?.close();
  await Promise.all([slack?.close(), connector?.close()]);
  folder?.remove();
});

async function signedPost(body: string, contentType = 'application/json') {
  const res = await fetch(`${bot.url}/slack/events`, {
    method: 'POST',
    body,
    headers: slackHeaders(body, { contentType }),
  });
  expect(res.status).toBe(200);
}

async function openHome(user: string) {
  slack.requests.length = 0;
  await signedPost(eventBody({ type: 'app_home_opened', user, channel: 'D1', tab: 'home' }));
  const published = await slack.waitFor((r) => r.path.startsWith('/api/views.publish'));
  const view = typeof published.body.view === 'string' ? JSON.parse(published.body.view) : published.body.view;
  return JSON.stringify(view);
}

function press(user: string, actionId: string, value: string) {
  return signedPost(
    actionBody({
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: user, team_id: 'T1' },
      trigger_id: '1.2.3',
      container: { type: 'view', view_id: 'VHOME' },
      view: { id: 'VHOME', type: 'home' },
      actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1.1' }],
    }),
    'application/x-www-form-urlencoded',
  );
}

describe('the curation loop', () => {
  it('labels a digest item with a knowledge-base trial’s NCT id as new data on CLEOPATRA and queues it, linked to the entry', async () => {
    const body = slashCommandBody('digest subscribe 08:00 UTC', `${slack.url}/response/1`, { channel_id: 'C40' });
    await signedPost(body, 'application/x-www-form-urlencoded');
    await slack.waitFor((r) => r.path === '/response/1');
    expect(await bot.scheduler!.deliver('slack:T1:C40', new Date('2026-11-30T08:00:00.000Z'))).toMatchObject({
      status: 'posted',
    });
    const posted = JSON.stringify(slack.calls('chat.postMessage').find((r) => r.body.channel === 'C40')!.body);
    expect(posted).toContain('new data on CLEOPATRA');
    const [candidate] = await store.curation.list();
    expect(candidate).toMatchObject({
      kind: 'new_data',
      entryId: 'ev-cleopatra-2012',
      subject: 'CLEOPATRA',
      matchedBy: 'nct',
      status: 'open',
      itemKey: 'trial:NCT00567190@2026-11-27',
    });
    // The PTEN paper is about nothing the knowledge base would change: no candidate.
    expect(await store.curation.list()).toHaveLength(1);
  });

  it('opens the entry’s card for the reader who clicks “new data on CLEOPATRA” in Slack, leaving the digest as it is', async () => {
    const digest = slack.calls('chat.postMessage').find((r) => r.body.channel === 'C40')!;
    const button = (
      digest.body.blocks as { elements?: { text: { text: string }; action_id: string; value: string }[] }[]
    )
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.text?.text === 'new data on CLEOPATRA')!;
    expect(button.action_id).toMatch(/^her2_show_\d+$/);
    expect(JSON.parse(button.value)).toEqual({ a: 'show', id: 'ev-cleopatra-2012' });
    // The label no longer links to the paper's citation: the button is the way to the entry.
    expect(JSON.stringify(digest.body)).not.toContain('https://pubmed.ncbi.nlm.nih.gov/22149875/');
    slack.requests.length = 0;
    const click = async (isEphemeral: boolean, path: string) => {
      await signedPost(
        actionBody({
          type: 'block_actions',
          team: { id: 'T1' },
          user: { id: 'UREADER', team_id: 'T1' },
          trigger_id: '1.2.9',
          container: { type: 'message', channel_id: 'C40', message_ts: '1.0', is_ephemeral: isEphemeral },
          channel: { id: 'C40' },
          response_url: `${slack.url}${path}`,
          actions: [
            { type: 'button', action_id: button.action_id, block_id: 'b', value: button.value, action_ts: '1.1' },
          ],
        }),
        'application/x-www-form-urlencoded',
      );
      return slack.waitFor((r) => r.path === path);
    };
    const reply = await click(false, '/response/entry');
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    const card = JSON.stringify(reply.body);
    expect(card).toContain('CLEOPATRA');
    // The entry's own card: its citation, which the knowledge base holds.
    expect(card).toContain('https://pubmed.ncbi.nlm.nih.gov/22149875/');
    // On the reader's own preview (ephemeral) too, the card comes beside it instead of replacing it.
    expect((await click(true, '/response/entry-preview')).body).toMatchObject({ replace_original: false });
    expect(slack.calls('chat.postMessage')).toEqual([]);
    expect(slack.calls('chat.update')).toEqual([]);
  });

  it('shows the queue to a curator in the App Home and not to anyone else', async () => {
    const curatorHome = await openHome(CURATOR);
    expect(curatorHome).toContain('Curation queue (1 open)');
    expect(curatorHome).toContain('new data on CLEOPATRA');
    const readerHome = await openHome('UREADER');
    expect(readerHome).toContain('Mechanism map');
    expect(readerHome).not.toContain('Curation queue');
    expect(readerHome).not.toContain('CLEOPATRA');
  });

  it('ignores a non-curator’s Accept, and takes the curator’s', async () => {
    const id = (await store.curation.list())[0]!.id;
    await press('UREADER', `her2_cur_accept_${id}`, JSON.stringify({ c: id, d: 'accept' }));
    await new Promise((r) => setTimeout(r, 200));
    expect((await store.curation.get(id))?.status).toBe('open');

    slack.requests.length = 0;
    await press(CURATOR, `her2_cur_accept_${id}`, JSON.stringify({ c: id, d: 'accept' }));
    const republished = await slack.waitFor((r) => r.path.startsWith('/api/views.publish'));
    expect(JSON.stringify(republished.body)).toContain('Curation queue (0 open)');
    expect(await store.curation.get(id)).toMatchObject({ status: 'accepted', decidedBy: CURATOR });
  });

  it('in Teams, shows the queue only in a curator’s personal chat, and refuses anyone else', async () => {
    const send = async (activity: Record<string, unknown>) => {
      const before = connector.sent().length;
      const res = await fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        body: JSON.stringify(activity),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(200);
      return JSON.stringify(
        connector
          .sent()
          .slice(before)
          .map((r) => r.body),
      );
    };
    const asCurator = (a: Record<string, unknown>) => ({
      ...a,
      from: { id: '29:cur', name: 'Cur', aadObjectId: TEAMS_CURATOR },
    });
    const personal = messageActivity(connector.serviceUrl, 'curation', { conversationType: 'personal' });
    const refused = await send(personal);
    expect(refused).toContain('for the knowledge base’s curators only');
    expect(refused).not.toContain('CLEOPATRA');

    const shown = await send(asCurator(personal));
    expect(shown).toContain('Curation queue (0 open)');
    expect(shown).toContain('new data on CLEOPATRA');

    const id = (await store.curation.list())[0]!.id;
    const note = messageActivity(connector.serviceUrl, '', {
      conversationType: 'personal',
      value: { her2cur: { c: id, d: 'note' }, note: 'Check the OS update against the NEJM paper' },
    });
    expect(await send(note)).toContain('curators only');
    expect((await store.curation.get(id))?.note).toBeUndefined();
    await send(asCurator(note));
    expect((await store.curation.get(id))?.note).toBe('Check the OS update against the NEJM paper');
  });

  it('exports the accepted candidate as YAML the knowledge base’s schema accepts, with identifiers and no figures', async () => {
    const out = join(folder.dir, 'export');
    const io = captureIo();
    const previous = process.env.DATABASE_PATH;
    process.env.DATABASE_PATH = databasePath;
    try {
      expect(await curationCommand(['export', '--out', out], io)).toBe(0);
    } finally {
      if (previous === undefined) delete process.env.DATABASE_PATH;
      else process.env.DATABASE_PATH = previous;
    }
    expect(io.stdout.join('\n')).toContain('Wrote 1 draft evidence item(s)');
    const drafts = parse(readFileSync(join(out, 'kb-candidates.yaml'), 'utf8')) as unknown[];
    expect(drafts).toHaveLength(1);
    const draft = Evidence.parse(drafts[0]);
    expect(draft.citation).toMatchObject({ verified: false, nct: ['NCT00567190'] });
    expect(draft.results).toEqual([]);
    expect(draft.sources).toEqual(['https://clinicaltrials.gov/study/NCT00567190']);
    expect(draft.curatorNotes.join(' ')).toContain('new data on CLEOPATRA (ev-cleopatra-2012');
    expect(draft.curatorNotes.join(' ')).toContain('Check the OS update');
    expect(bot.core.kb.evidenceById.has(draft.id)).toBe(false);
    const report = readFileSync(join(out, 'curation-report.md'), 'utf8');
    expect(report).toContain('### Accepted (1)');
    expect(report).toContain('new data on CLEOPATRA');
  });
});
