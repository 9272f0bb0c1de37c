/**
 * "Export this week" end to end: the real bot (Bolt receiver, CloudAdapter) on loopback, stand-ins for
 * Slack's Web API (with its external file upload) and the Bot Framework connector, stand-in literature,
 * a SQLite file. A digest is posted, its export control is pressed as Slack and Teams send it, and the
 * test checks that the file reaches only the person who pressed (Slack: uploaded into their DM with the
 * bot; Teams: a signed link in their personal chat, served by the bot), that it parses as the format
 * they chose, and that an altered or expired link is refused.
 */
import { join } from 'node:path';
import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { parse as parseRis } from 'astrocite-ris';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { type RunningBot, startBot } from '../src/main.ts';
import { paper, StandInSource, settableClock } from './helpers/digest-literature.ts';
import type { Recorded } from './helpers/fake-server.ts';
import { adaptiveCardSchemaValidator } from './helpers/schemas.ts';
import { hasShared } from './helpers/shared.ts';
import {
  actionBody,
  BOT_TOKEN,
  type FakeSlack,
  SIGNING_SECRET,
  slackHeaders,
  slashCommandBody,
  startFakeSlack,
} from './helpers/slack.ts';
import { tempDir } from './helpers/store-fixture.ts';
import {
  type FakeConnector,
  LocalCredentialsFactory,
  type LocalIdentity,
  messageActivity,
  startFakeConnector,
  startLocalIdentity,
} from './helpers/teams.ts';

const APP_ID = '00000000-0000-0000-0000-0000000000e7';
const PUBLIC_URL = 'https://her2bot.example.org';
const POSTED_AT = '2026-11-30T07:00:05.000Z';
const clock = settableClock(POSTED_AT);
const pubmed = new StandInSource('pubmed');
const TITLES = [
  'p95HER2 expression and trastuzumab benefit in HER2-positive breast cancer',
  'Truncated p95HER2 in metastatic disease in HER2-positive breast cancer',
  'PTEN loss under trastuzumab in HER2-positive breast cancer',
];
let slack: FakeSlack;
let connector: FakeConnector;
let identity: LocalIdentity;
let folder: ReturnType<typeof tempDir>;
let bot: RunningBot;
/** What the bot logs at info, the level production runs at. */
const logLines: string[] = [];
/** Every signature a link carried in these tests. */
const signatures = new Set<string>();

beforeAll(async () => {
  [slack, connector, identity] = await Promise.all([startFakeSlack(), startFakeConnector(), startLocalIdentity()]);
  folder = tempDir();
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    PLAYGROUND: 'off',
    PUBLIC_URL,
    DATABASE_PATH: join(folder.dir, 'her2bot.db'),
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'a-client-secret-of-the-teams-app',
  });
  bot = await startBot(config, {
    logger: createLogger({ level: 'info', destination: { write: (line: string) => logLines.push(line) } }),
    teams: { credentialsFactory: new LocalCredentialsFactory(APP_ID), authSettings: identity.authSettings },
    slackRetries: 0,
    digestSources: [pubmed],
    now: clock.now,
  });
});

afterAll(async () => {
  await bot?.close();
  await Promise.all([slack?.close(), connector?.close(), identity?.server.close()]);
  folder?.remove();
});

beforeEach(() => {
  clock.set(POSTED_AT);
  slack.requests.length = 0;
  connector.requests.length = 0;
  pubmed.items = [
    paper(99700001, '2026-11-26', 'p95HER2 expression and trastuzumab benefit'),
    paper(99700002, '2026-11-27', 'Truncated p95HER2 in metastatic disease'),
    paper(99700003, '2026-11-28', 'PTEN loss under trastuzumab'),
  ];
});

const slot = (day: string) => new Date(`${day}T07:00:00.000Z`);

describe('Export this week on a Slack digest', () => {
  let responses = 0;
  async function signedPost(body: string) {
    const res = await fetch(`${bot.url}/slack/events`, {
      method: 'POST',
      body,
      headers: slackHeaders(body, { contentType: 'application/x-www-form-urlencoded' }),
    });
    expect(res.status).toBe(200);
  }

  async function postedDigest(channel: string): Promise<Recorded> {
    const path = `/response/${++responses}`;
    await signedPost(
      slashCommandBody('digest subscribe 08:00 Europe/Berlin', `${slack.url}${path}`, { channel_id: channel }),
    );
    await slack.waitFor((r) => r.path === path);
    expect(await bot.scheduler!.deliver(`slack:T1:${channel}`, slot('2026-11-30'))).toMatchObject({ status: 'posted' });
    return slack.calls('chat.postMessage').find((r) => r.body.channel === channel && r.body.thread_ts === undefined)!;
  }

  type Control = { type: string; action_id: string; value?: string; text?: { text: string }; options?: Option[] };
  type Option = { text: { text: string }; value: string };
  function exportControls(message: Recorded): Control[] {
    const blocks = message.body.blocks as { type: string; elements?: Control[] }[];
    return blocks
      .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
      .filter((e) => /^her2_export_\d+$/.test(e.action_id));
  }

  /** Presses the export button (or picks an overflow option) as Slack sends it; returns the response_url reply. */
  async function press(message: Recorded, channel: string, user: string, option?: string) {
    const [button, overflow] = exportControls(message);
    const action = option
      ? {
          type: 'overflow',
          action_id: overflow!.action_id,
          block_id: 'x1',
          selected_option: overflow!.options!.find((o) => o.text.text === option)!,
          action_ts: '2.1',
        }
      : { type: 'button', action_id: button!.action_id, block_id: 'x1', value: button!.value, action_ts: '2.1' };
    const path = `/response/${++responses}`;
    await signedPost(
      actionBody({
        type: 'block_actions',
        team: { id: 'T1', domain: 'lab' },
        user: { id: user, name: 'dr.b', team_id: 'T1' },
        api_app_id: 'A1',
        token: 'legacy',
        trigger_id: '2.2.3',
        container: { type: 'message', message_ts: '1700000000.000100', channel_id: channel, is_ephemeral: false },
        channel: { id: channel, name: 'oncology' },
        response_url: `${slack.url}${path}`,
        actions: [action],
      }),
    );
    return (await slack.waitFor((r) => r.path === path)).body as Record<string, unknown>;
  }

  it('offers a RIS button and the other formats in an overflow menu on the posted digest only', async () => {
    const parent = await postedDigest('C40');
    const [button, overflow, ...rest] = exportControls(parent);
    expect(rest).toEqual([]);
    expect(button).toMatchObject({ type: 'button', text: { text: 'Export this week (RIS)' } });
    expect(overflow!.type).toBe('overflow');
    expect(overflow!.options!.map((o) => o.text.text)).toEqual([
      'Export this week as BibTeX',
      'Export this week as CSV (spreadsheet)',
    ]);
    // Nothing in the controls names the channel: it is where they are pressed.
    expect(JSON.stringify(exportControls(parent))).not.toContain('C40');
  });

  it('uploads the week as RIS into the presser’s DM with the bot and tells only them, in the channel', async () => {
    const parent = await postedDigest('C41');
    const mark = slack.requests.length;
    const reply = await press(parent, 'C41', 'U7');

    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(reply)).toContain('in our direct messages, where only you can see it');
    expect(slack.calls('conversations.open').map((r) => r.body.users)).toEqual(['U7']);
    const [asked] = slack.calls('files.getUploadURLExternal');
    expect(asked!.body.filename).toBe('her2-digest-2026-11-23-to-2026-11-30.ris');

    const [upload] = await slack.uploads();
    expect(Number(asked!.body.length)).toBe(Buffer.byteLength(upload!.text));
    expect(upload!.type).toBe('multipart/form-data');
    const records = parseRis(upload!.text);
    expect(records.map((r) => r.title).sort()).toEqual([...TITLES].sort());
    expect(JSON.stringify(records)).toContain('https://pubmed.ncbi.nlm.nih.gov/99700001/');

    const [complete] = slack.calls('files.completeUploadExternal');
    expect(complete!.body).toMatchObject({ channel_id: 'DU7', files: [{ id: upload!.fileId }] });
    expect(String(complete!.body.initial_comment)).toContain('The 3 digest items posted in <#C41> in the last 7 days');
    expect(String(complete!.body.initial_comment)).toContain('Research use only, not medical advice.');
    // The channel heard nothing: the only Web API calls were the DM, the upload and its completion
    // (no message, no file, no ephemeral beyond the response_url reply).
    expect(
      slack.requests
        .slice(mark)
        .filter((r) => !r.path.startsWith('/response/'))
        .map((r) => r.path),
    ).toEqual([
      '/api/conversations.open',
      '/api/files.getUploadURLExternal',
      `/upload/${upload!.fileId}`,
      '/api/files.completeUploadExternal',
    ]);
  });

  it('sends the format picked in the overflow menu: BibTeX that a BibTeX parser reads', async () => {
    const parent = await postedDigest('C42');
    await press(parent, 'C42', 'U8', 'Export this week as BibTeX');
    expect(slack.calls('files.getUploadURLExternal')[0]!.body.filename).toBe(
      'her2-digest-2026-11-23-to-2026-11-30.bib',
    );
    const library = parseBibtex((await slack.uploads())[0]!.text);
    expect(library.errors).toEqual([]);
    expect(library.entries.map((e) => e.key).sort()).toEqual(['pmid99700001', 'pmid99700002', 'pmid99700003']);
  });

  it('says so privately when the upload fails, never silently', async () => {
    const parent = await postedDigest('C43');
    slack.failNext('upload', { status: 500, body: 'storage unavailable' });
    const failed = await press(parent, 'C43', 'U9');
    expect(failed).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(failed)).toContain('The export could not be sent to you');
    expect(slack.calls('files.completeUploadExternal')).toEqual([]);

    slack.failNext('files.getUploadURLExternal', { body: { ok: false, error: 'missing_scope' } });
    const unscoped = await press(parent, 'C43', 'U9');
    expect(JSON.stringify(unscoped)).toContain('a workspace admin needs to reinstall it');
    expect(slack.calls('chat.postMessage').filter((r) => r.body.channel === 'C43')).toHaveLength(1);
  });

  it('says there is nothing to export when the channel’s items are older than a week', async () => {
    const parent = await postedDigest('C44');
    clock.set('2026-12-08T09:00:00.000Z');
    const reply = await press(parent, 'C44', 'U7');
    expect(JSON.stringify(reply)).toContain('No digest items were posted here in the last 7 days');
    expect(slack.calls('files.getUploadURLExternal')).toEqual([]);
  });
});

describe('Export this week on a Teams digest', () => {
  const conversation = '19:export@thread.tacv2;messageid=1700000000042';
  const key = 'teams:t:tenant-1:19:export@thread.tacv2';

  async function send(activity: Record<string, unknown>) {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      body: JSON.stringify(activity),
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${identity.token({ aud: APP_ID, serviceurl: connector.serviceUrl })}`,
      },
    });
    expect(res.status).toBe(200);
  }

  /** The form's submit from the channel, as Teams sends it: the data and the chosen format. */
  async function submit(format: string) {
    connector.requests.length = 0;
    const activity = messageActivity(connector.serviceUrl, '', { conversationId: conversation, mention: false });
    await send({ ...activity, text: undefined, value: { her2export: 'week', format }, replyToId: '1700000000042' });
    return connector.sent();
  }

  const toChannel = (r: Recorded) => decodeURIComponent(r.path).includes('19:export@thread.tacv2');
  const downloadOf = (sent: Recorded[]) => {
    const urls = JSON.stringify(sent.map((r) => r.body)).match(
      /https:\/\/her2bot\.example\.org\/digest\/export\?[^"]+/g,
    );
    expect(urls).toHaveLength(1);
    const link = new URL(urls![0]!);
    signatures.add(link.searchParams.get('sig')!);
    return link;
  };
  /** The link as the person's browser would fetch it, with PUBLIC_URL's proxy in front of the bot. */
  const fetchLink = (link: URL) => fetch(`${bot.url}${link.pathname}${link.search}`);

  let digestCard: Record<string, unknown>;
  beforeAll(async () => {
    clock.set(POSTED_AT);
    await send(
      messageActivity(connector.serviceUrl, 'digest subscribe 08:00 Europe/Berlin', { conversationId: conversation }),
    );
    connector.requests.length = 0;
    expect(await bot.scheduler!.deliver(key, slot('2026-11-30'))).toMatchObject({ status: 'posted' });
    digestCard = (connector.sent()[0]!.body as { attachments: { content: Record<string, unknown> }[] }).attachments[0]!
      .content;
  });

  it('offers the form on the posted card: RIS preselected, BibTeX and CSV, and a submit that names no channel', () => {
    type Element = { type: string; title?: string; card?: { body: Element[]; actions: Element[] } } & Record<
      string,
      unknown
    >;
    const form = (digestCard.actions as Element[]).find((a) => a.title === 'Export this week')!;
    expect(form.type).toBe('Action.ShowCard');
    const choice = form.card!.body.find((e) => e.type === 'Input.ChoiceSet')!;
    expect(choice).toMatchObject({ id: 'format', value: 'ris' });
    expect((choice.choices as { value: string }[]).map((c) => c.value)).toEqual(['ris', 'bibtex', 'csv']);
    expect(form.card!.actions).toEqual([
      { type: 'Action.Submit', title: 'Send me the file', data: { her2export: 'week' } },
    ]);
    if (hasShared) {
      // The posted card, its export and Wrong tags forms included, is an Adaptive Card 1.5 (Teams'
      // msteams key, outside the schema, left out).
      const validate = adaptiveCardSchemaValidator();
      const { msteams: _teamsOnly, ...card } = digestCard;
      expect(card.version).toBe('1.5');
      expect((card.actions as Element[]).map((a) => a.title)).toContain('Wrong tags');
      expect(validate(card) ? [] : validate.errors).toEqual([]);
    }
  });

  it('sends a signed link to the presser’s personal chat; the link returns the RIS file, the channel only a line', async () => {
    const sent = await submit('ris');
    const created = sent.find((r) => r.method === 'POST' && /\/v3\/conversations$/.test(r.path));
    expect(created?.body).toMatchObject({ isGroup: false, members: [{ id: '29:user-1' }] });
    const link = downloadOf(sent.filter((r) => !toChannel(r)));
    expect(JSON.stringify(sent.filter(toChannel).map((r) => r.body))).not.toContain('digest/export');
    expect(JSON.stringify(sent.filter(toChannel).map((r) => r.body))).toContain('personal chat');
    expect(JSON.stringify(sent.map((r) => r.body))).toContain('Export ready');
    // The link names the channel, the window's start, the format and its expiry, all under the signature.
    expect(Object.fromEntries(link.searchParams)).toMatchObject({ c: key, s: '2026-11-23T07:00:05.000Z', f: 'ris' });
    expect(Number(link.searchParams.get('e'))).toBe(Date.parse(POSTED_AT) / 1000 + 15 * 60);

    const res = await fetchLink(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-research-info-systems; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="her2-digest-2026-11-23-to-2026-11-30.ris"',
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    const records = parseRis(await res.text());
    expect(records.map((r) => r.title).sort()).toEqual([...TITLES].sort());
  });

  it('honours the format chosen in the form: BibTeX that a BibTeX parser reads', async () => {
    const link = downloadOf(await submit('bibtex'));
    expect(link.searchParams.get('f')).toBe('bibtex');
    const res = await fetchLink(link);
    expect(res.headers.get('content-type')).toBe('application/x-bibtex; charset=utf-8');
    const library = parseBibtex(await res.text());
    expect(library.errors).toEqual([]);
    expect(library.entries).toHaveLength(3);
  });

  it('refuses an altered link with a 403 and a plain sentence', async () => {
    const link = downloadOf(await submit('ris'));
    const altered = (name: string, value: string) => {
      const copy = new URL(link);
      copy.searchParams.set(name, value);
      return copy;
    };
    const sig = link.searchParams.get('sig')!;
    for (const tampered of [
      altered('c', 'teams:t:tenant-1:19:someone-else@thread.tacv2'),
      altered('s', '2026-01-01T00:00:00.000Z'),
      altered('f', 'csv'),
      altered('e', String(Number(link.searchParams.get('e')) + 3600)),
      altered('sig', `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`),
      altered('sig', ''),
    ]) {
      const res = await fetchLink(tampered);
      expect(res.status, tampered.search).toBe(403);
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await res.text()).toBe(
        'This export link is not valid. Press "Export this week" on the digest for a new one.',
      );
    }
    const unsigned = new URL(link);
    unsigned.searchParams.delete('sig');
    expect((await fetchLink(unsigned)).status).toBe(403);
  });

  it('refuses a link after 15 minutes', async () => {
    const link = downloadOf(await submit('ris'));
    clock.set('2026-11-30T07:14:55.000Z');
    expect((await fetchLink(link)).status).toBe(200);
    clock.set('2026-11-30T07:15:05.000Z');
    const res = await fetchLink(link);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('This export link has expired');
  });

  it('logs no link and no signature at info: a refusal by its reason, a download by its count', () => {
    expect(signatures.size).toBe(2); // RIS and BibTeX (same channel, window and clock)
    const log = logLines.join('');
    for (const sig of signatures) expect(log).not.toContain(sig);
    expect(log).not.toContain('digest/export?');
    const events = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.filter((e) => e.msg === 'digest export link refused').map((e) => e.reason)).toContain('expired');
    expect(events.find((e) => e.msg === 'digest export downloaded')).toMatchObject({ format: 'ris', items: 3 });
  });

  it('answers a form naming no known format as out of date, with no link', async () => {
    const sent = await submit('pdf');
    expect(JSON.stringify(sent.map((r) => r.body))).toContain('That form is out of date');
    expect(JSON.stringify(sent.map((r) => r.body))).not.toContain('digest/export');
  });
});
