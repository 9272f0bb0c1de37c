/**
 * Soak: the real bot (bench/soak-server.ts, its own process) for SOAK_MINUTES (default 10) under
 * mixed Slack and Teams traffic, with digests every minute, while 5% of the stand-ins' calls (Slack's
 * Web API and response_url, the Teams connector, the literature API) fail with a 5xx or answer slowly.
 *
 *   nice npx tsx bench/soak.ts            # prints one JSON object
 *
 * Digests every minute: each of 4 Slack channels and 4 Teams channels re-subscribes every minute for
 * the next minute, so the real scheduler claims, fetches, posts and records a new slot per channel
 * per minute. New papers appear each minute until three minutes before the end. At the end, every
 * paper the classifier calls relevant must have reached every channel exactly once (0 lost, 0
 * duplicated), every scheduled slot must have a run that ended posted or empty, RSS must not grow by
 * more than 10% from the first minute after warm-up to the last, and the bot must not have restarted.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { Core } from '../src/core.ts';
import { Classifier } from '../src/digest/classify.ts';
import type { LiteratureItem } from '../src/digest/sources/types.ts';
import { silentLogger } from '../src/logger.ts';
import { paper } from '../test/helpers/digest-literature.ts';
import { BOT_USER, eventBody, slackHeaders, slashCommandBody } from '../test/helpers/slack.ts';
import { messageActivity, startLocalIdentity } from '../test/helpers/teams.ts';
import { memory, round } from './lib/load.ts';
import { SOAK_APP_ID } from './lib/soak-ids.ts';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const DURATION_MS = MINUTES * 60_000;
const DRAIN_MS = Number(process.env.SOAK_DRAIN_S ?? 240) * 1000;
const FAULT_RATE = 0.05;
const TRAFFIC_EVERY_MS = 250;
const SLACK_CHANNELS = ['CSOAK1', 'CSOAK2', 'CSOAK3', 'CSOAK4'];
const TEAMS_CHANNELS = [
  '19:soak-1@thread.tacv2',
  '19:soak-2@thread.tacv2',
  '19:soak-3@thread.tacv2',
  '19:soak-4@thread.tacv2',
];
const QUERIES = [
  'resistance pi3k',
  'p95',
  'T-DM1 vs lapatinib',
  'neratinib evidence',
  'what overcomes PTEN loss?',
  'cleopatra os',
  'zzzz nothing',
];
const TOPICS = [
  'PIK3CA mutation',
  'p95HER2 expression',
  'Neratinib after trastuzumab',
  'PTEN loss under trastuzumab',
  'T-DM1 resistance',
  'Lapatinib and HER3',
];

const started = Date.now();
const elapsed = () => Date.now() - started;
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

// --- literature: papers appear over time ---------------------------------------------------------
const literature: LiteratureItem[] = [];
let nextPmid = 99_300_001;
function publish(count: number, date: () => string) {
  for (let i = 0; i < count; i++) {
    literature.push(paper(nextPmid, date(), `${TOPICS[nextPmid % TOPICS.length]} (${nextPmid})`));
    nextPmid++;
  }
}
publish(8, () => daysAgo(1 + (nextPmid % 4)));

// --- the stand-ins, with faults ------------------------------------------------------------------
const faults = { injected5xx: 0, injectedSlow: 0, calls: 0 };
interface Posted {
  at: number;
  where: string;
  body: Record<string, unknown>;
}
const slackPosts: Posted[] = [];
const teamsPosts: Posted[] = [];
const responses: Posted[] = [];
let ts = 1_700_000_000;

const identity = await startLocalIdentity();

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function decode(raw: string, type: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (type?.includes('json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
  return out;
}

const standIn = createServer(async (req: IncomingMessage, res: ServerResponse) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const body = decode(await readBody(req), req.headers['content-type']);
  const send = (status: number, payload: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(payload));
  };
  if (url.pathname.startsWith('/openid') || url.pathname.startsWith('/keys')) {
    const r = await fetch(`${identity.server.url}${url.pathname}`);
    return send(r.status, await r.json());
  }
  if (url.pathname.endsWith('/auth.test'))
    return send(200, { ok: true, user_id: BOT_USER, bot_id: 'BBOT', team_id: 'T1' });
  // Every other call may fail or be slow.
  faults.calls++;
  const dice = Math.random();
  if (dice < FAULT_RATE / 2) {
    faults.injected5xx++;
    return send(503, { ok: false, error: 'service_unavailable' });
  }
  if (dice < FAULT_RATE) {
    faults.injectedSlow++;
    await new Promise((r) => setTimeout(r, 1200));
  }
  if (url.pathname === '/literature') {
    const since = url.searchParams.get('since') ?? '';
    const until = url.searchParams.get('until') ?? '';
    return send(
      200,
      literature.filter((i) => i.date >= since && i.date <= until),
    );
  }
  if (url.pathname.endsWith('/chat.postMessage')) {
    slackPosts.push({ at: elapsed(), where: String(body.channel), body });
    return send(200, { ok: true, channel: body.channel, ts: `${++ts}.000100` });
  }
  if (url.pathname.startsWith('/slack/response/')) {
    responses.push({ at: elapsed(), where: url.pathname, body });
    return send(200, { ok: true });
  }
  if (url.pathname.includes('/v3/conversations/')) {
    const conversation = decodeURIComponent(url.pathname.split('/v3/conversations/')[1]!.split('/')[0]!);
    teamsPosts.push({ at: elapsed(), where: conversation.split(';')[0]!, body });
    return send(200, { id: `activity-${++ts}` });
  }
  if (url.pathname.startsWith('/slack/api/')) return send(200, { ok: true });
  send(404, {});
});
await new Promise<void>((r) => standIn.listen(0, '127.0.0.1', () => r()));
const standInUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
const serviceUrl = `${standInUrl}/amer/`;

// --- the bot, restarted if it dies ---------------------------------------------------------------
const folder = mkdtempSync(join(tmpdir(), 'her2bot-soak-'));
const dbPath = join(folder, 'soak.db');
let child: ChildProcess | undefined;
let botUrl = '';
let restarts = 0;
let stopping = false;
const stderrTail: string[] = [];

async function startChild(): Promise<void> {
  const running = spawn(process.execPath, ['--import', 'tsx', 'bench/soak-server.ts'], {
    env: { ...process.env, SOAK_STANDIN_URL: standInUrl, SOAK_DB: dbPath },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child = running;
  createInterface({ input: running.stderr }).on('line', (line) => {
    stderrTail.push(line.slice(0, 300));
    if (stderrTail.length > 40) stderrTail.shift();
  });
  running.on('exit', (code, signal) => {
    if (stopping) return;
    restarts++;
    stderrTail.push(`bot exited: ${code ?? signal}`);
    void startChild();
  });
  const ready = await new Promise<{ port: number }>((resolve, reject) => {
    createInterface({ input: running.stdout }).on('line', (line) => {
      const msg = JSON.parse(line) as { ready?: boolean; port?: number };
      if (msg.ready) resolve({ port: msg.port! });
    });
    running.once('error', reject);
  });
  botUrl = `http://127.0.0.1:${ready.port}`;
}
await startChild();

// --- traffic ---------------------------------------------------------------------------------------
const traffic = {
  slackSlash: 0,
  slackMention: 0,
  teamsMessage: 0,
  errors: 0,
  errorKinds: {} as Record<string, number>,
};
let responseSeq = 0;
const error = (kind: string) => {
  traffic.errors++;
  traffic.errorKinds[kind] = (traffic.errorKinds[kind] ?? 0) + 1;
};

async function slash(text: string, channel: string): Promise<void> {
  const body = slashCommandBody(text, `${standInUrl}/slack/response/${++responseSeq}`, { channel_id: channel });
  const res = await fetch(`${botUrl}/slack/events`, {
    method: 'POST',
    body,
    headers: slackHeaders(body, { contentType: 'application/x-www-form-urlencoded' }),
  });
  await res.arrayBuffer();
  if (res.status !== 200) error(`slack slash ${res.status}`);
}

async function mention(text: string): Promise<void> {
  const body = eventBody({
    type: 'app_mention',
    user: 'U1',
    text: `<@${BOT_USER}> ${text}`,
    ts: `${Date.now() / 1000}`,
    channel: 'CTRAFFIC',
    event_ts: `${Date.now() / 1000}`,
  });
  const res = await fetch(`${botUrl}/slack/events`, { method: 'POST', body, headers: slackHeaders(body) });
  await res.arrayBuffer();
  if (res.status !== 200) error(`slack event ${res.status}`);
}

async function teams(text: string, conversationId?: string): Promise<void> {
  const activity = messageActivity(
    serviceUrl,
    text,
    conversationId ? { conversationId } : { conversationType: 'personal' },
  );
  const res = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    body: JSON.stringify(activity),
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${identity.token({ aud: SOAK_APP_ID, serviceurl: serviceUrl })}`,
    },
  });
  await res.arrayBuffer();
  if (res.status !== 200) error(`teams ${res.status}`);
}

let n = 0;
const trafficTimer = setInterval(() => {
  const query = QUERIES[n % QUERIES.length]!;
  const kind = n++ % 3;
  const call = kind === 0 ? slash(query, 'CTRAFFIC') : kind === 1 ? mention(query) : teams(query);
  if (kind === 0) traffic.slackSlash++;
  else if (kind === 1) traffic.slackMention++;
  else traffic.teamsMessage++;
  call.catch((err: Error) => error(`request ${err.message}`));
}, TRAFFIC_EVERY_MS);

// --- digests every minute --------------------------------------------------------------------------
const slots: { channel: string; slot: string }[] = [];
async function subscribeAllForNextMinute(): Promise<void> {
  const next = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 60_000);
  const hhmm = next.toISOString().slice(11, 16);
  for (const c of SLACK_CHANNELS) {
    await slash(`digest subscribe ${hhmm} UTC`, c).catch(() => error('subscribe'));
    slots.push({ channel: `slack:T1:${c}`, slot: next.toISOString() });
  }
  for (const c of TEAMS_CHANNELS) {
    await teams(`digest subscribe ${hhmm} UTC`, c).catch(() => error('subscribe'));
    slots.push({ channel: `teams:${c}`, slot: next.toISOString() });
  }
}

// --- RSS -------------------------------------------------------------------------------------------
const rss: { atS: number; rssMiB: number }[] = [];
const rssTimer = setInterval(() => {
  try {
    rss.push({ atS: Math.round(elapsed() / 1000), rssMiB: memory(child!.pid!).rssMiB });
  } catch {
    /* the child is restarting */
  }
}, 15_000);

// --- the run ---------------------------------------------------------------------------------------
const classifier = new Classifier((await Core.open({ logger: silentLogger })).kb);
const relevant = () => literature.filter((i) => classifier.classify(i).relevant).map((i) => i.pmid!);

function postedPerChannel(): Map<string, string[][]> {
  // Each digest: the PMIDs its messages show (Slack parent + thread replies; Teams card + "More" cards).
  const out = new Map<string, string[][]>();
  const pmids = (b: unknown) =>
    [...JSON.stringify(b).matchAll(/pubmed\.ncbi\.nlm\.nih\.gov\/(\d+)/g)].map((m) => m[1]!);
  const digestOf = new Map<string, string[]>();
  for (const p of slackPosts) {
    const key = `slack:T1:${p.where}`;
    if (!SLACK_CHANNELS.includes(p.where)) continue;
    if (p.body.thread_ts) digestOf.get(`${key}|${p.body.thread_ts}`)?.push(...pmids(p.body));
    else if (String(p.body.text ?? '').startsWith('HER2 resistance literature')) {
      const list = pmids(p.body);
      const all = out.get(key) ?? [];
      all.push(list);
      out.set(key, all);
      // the stand-in's ts for this post is the one it answered; posts are answered in order
      digestOf.set(`${key}|${slackTs.get(p)}`, list);
    }
  }
  for (const p of teamsPosts) {
    const key = `teams:${p.where}`;
    if (!TEAMS_CHANNELS.includes(p.where)) continue;
    const text = JSON.stringify(p.body);
    const all = out.get(key) ?? [];
    // A digest card carries its fallback as `summary`; command replies (e.g. "subscribed") do not.
    const summary = String(p.body.summary ?? '');
    if (text.includes('More of this digest')) all.at(-1)?.push(...pmids(p.body));
    else if (summary.startsWith('HER2 resistance literature')) all.push(pmids(p.body));
    out.set(key, all);
  }
  return out;
}
const slackTs = new Map<Posted, string>();
// Remember which ts each Slack post got (the stand-in increments ts per accepted post, in order).
{
  const push = slackPosts.push.bind(slackPosts);
  slackPosts.push = (...items: Posted[]) => {
    for (const item of items) slackTs.set(item, `${ts + 1}.000100`);
    return push(...items);
  };
}

function accounting() {
  const expected = new Set(relevant());
  const perChannel = postedPerChannel();
  let lost = 0;
  let duplicated = 0;
  let itemsPosted = 0;
  let digestsPosted = 0;
  for (const channel of [...SLACK_CHANNELS.map((c) => `slack:T1:${c}`), ...TEAMS_CHANNELS.map((c) => `teams:${c}`)]) {
    const digests = perChannel.get(channel) ?? [];
    digestsPosted += digests.length;
    const counts = new Map<string, number>();
    for (const d of digests) for (const id of new Set(d)) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const id of expected) if (!counts.has(id)) lost++;
    for (const c of counts.values()) duplicated += c - 1;
    itemsPosted += counts.size;
  }
  return { expected: expected.size, lost, duplicated, itemsPosted, digestsPosted };
}

let lastPublishMinute = -1;
const minuteTimer = setInterval(() => {
  const minute = Math.floor(elapsed() / 60_000);
  if (minute === lastPublishMinute) return;
  lastPublishMinute = minute;
  if (elapsed() < DURATION_MS - 3 * 60_000) publish(3, today);
  void subscribeAllForNextMinute();
}, 1000);

await new Promise((r) => setTimeout(r, DURATION_MS));
clearInterval(trafficTimer);
// Drain: digests go on every minute until every channel has every item (or the drain time is up).
const drainStart = Date.now();
while (Date.now() - drainStart < DRAIN_MS && accounting().lost > 0) await new Promise((r) => setTimeout(r, 5000));
clearInterval(minuteTimer);
await new Promise((r) => setTimeout(r, 70_000)); // the last subscribed slot runs
clearInterval(rssTimer);

// Slots: every scheduled slot must have a run that ended posted or empty.
const db = new Database(dbPath, { readonly: true });
const runs = db
  .prepare('SELECT channel_key AS channel, scheduled_for AS slot, status, attempt FROM digest_runs')
  .all() as {
  channel: string;
  slot: string;
  status: string;
  attempt: number;
}[];
db.close();
const runOf = new Map(runs.map((r) => [`${r.channel}|${r.slot}`, r]));
const due = slots.filter((s) => Date.parse(s.slot) < Date.now() - 30_000);
const unfinished = due.filter(
  (s) => !['posted', 'empty'].includes(runOf.get(`${s.channel}|${s.slot}`)?.status ?? 'missing'),
);

stopping = true;
child?.kill('SIGTERM');
await new Promise((r) => setTimeout(r, 1000));
standIn.close();
standIn.closeAllConnections();
await identity.server.close();
rmSync(folder, { recursive: true, force: true });

const steady = rss.filter((r) => r.atS >= 120);
const firstMinute = steady.filter((r) => r.atS < 180).map((r) => r.rssMiB);
const lastMinutes = steady.slice(-4).map((r) => r.rssMiB);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const growthPercent = round(((mean(lastMinutes) - mean(firstMinute)) / mean(firstMinute)) * 100, 1);
const items = accounting();
const result = {
  bench: 'soak',
  minutes: MINUTES,
  faultRate: FAULT_RATE,
  faults,
  traffic,
  digests: {
    slotsDue: due.length,
    runsPosted: runs.filter((r) => r.status === 'posted').length,
    runsEmpty: runs.filter((r) => r.status === 'empty').length,
    runsTakenOver: runs.filter((r) => r.attempt > 1).length,
    unfinishedSlots: unfinished.length,
    messagesWithItems: items.digestsPosted,
  },
  items,
  rss: {
    samples: rss,
    steadyFirstMiB: round(mean(firstMinute), 1),
    steadyLastMiB: round(mean(lastMinutes), 1),
    growthPercent,
  },
  restarts,
  verdict: {
    noItemLost: items.lost === 0,
    noItemDuplicated: items.duplicated === 0,
    everySlotFinished: unfinished.length === 0,
    rssGrowthWithin10Percent: growthPercent <= 10,
    noRestarts: restarts === 0,
  },
  ...(restarts > 0 || items.lost > 0 ? { botStderrTail: stderrTail } : {}),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
