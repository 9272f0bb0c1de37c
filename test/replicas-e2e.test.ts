/**
 * Two real bot processes (test/helpers/replica-process.ts: startBot and the SIGTERM path of `her2bot
 * serve`) on one PostgreSQL database, with a loopback stand-in for Slack's Web API (one URL per
 * replica, so the stand-in knows who posted) and for the literature. What replicas must agree on:
 * a Slack event delivered to both is answered once; 50 digests due at once are each posted once
 * across the two; a replica killed (-9) while it posts is taken over after its lease with at most one
 * repeated digest and no item lost; a replica sent SIGTERM while it posts finishes: no repeat.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/store.ts';
import { paper } from './helpers/digest-literature.ts';
import { type FakeServer, type Recorded, startFake } from './helpers/fake-server.ts';
import { BOT_TOKEN, BOT_USER, eventBody, SIGNING_SECRET, slackHeaders } from './helpers/slack.ts';
import { postgresUnavailable, testDatabase } from './helpers/store-engines.ts';

const REPLICA = new URL('./helpers/replica-process.ts', import.meta.url).pathname;
const LEASE_SECONDS = 5;
const PAPERS = [
  paper(99100001, daysAgo(1), 'PIK3CA mutation'),
  paper(99100002, daysAgo(2), 'p95HER2 expression'),
  paper(99100003, daysAgo(3), 'Neratinib after trastuzumab'),
];

function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

interface Replica {
  name: string;
  port: number;
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

/** What the stand-in does with a replica's chat.postMessage: answer, or hold it (a slow Slack). */
type PostHook = (replica: string, req: Recorded) => Promise<void> | void;

// Two processes start (each loads the knowledge base) per test; on a loaded machine that is slow.
describe.skipIf(postgresUnavailable)('replicas on one PostgreSQL database', { timeout: 90_000 }, () => {
  const database = testDatabase('her2_store_replicas');
  let slack: FakeServer;
  let onPost: PostHook = () => {};
  const running: Replica[] = [];
  let observer: Store | undefined;

  beforeAll(async () => {
    await database.create();
    slack = await startFake();
    slack.handle(async (req) => {
      if (req.path.startsWith('/literature')) return { body: PAPERS };
      const [, replica, , method] = req.path.split('?')[0]!.split('/');
      if (method === 'auth.test') return { body: { ok: true, user_id: BOT_USER, bot_id: 'BBOT', team_id: 'T1' } };
      if (method === 'chat.postMessage') {
        await onPost(replica!, req);
        return { body: { ok: true, channel: req.body.channel, ts: `${Date.now() / 1000}` } };
      }
      return { body: { ok: true } };
    });
  });
  afterEach(async () => {
    onPost = () => {};
    for (const r of running.splice(0)) r.child.kill('SIGKILL');
    await observer?.close();
    observer = undefined;
  });
  afterAll(async () => {
    await slack?.close();
    await database.drop();
  });

  async function start(name: string, url: string): Promise<Replica> {
    const child = spawn(process.execPath, ['--import', 'tsx', REPLICA], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        PORT: '0',
        PLAYGROUND: 'off',
        DATABASE_URL: url,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: `${slack.url}/${name}/api/`,
        DIGEST_SOURCES: 'pubmed',
        DIGEST_LEASE_SECONDS: String(LEASE_SECONDS),
        SHUTDOWN_GRACE_SECONDS: '20',
        REPLICA_LITERATURE_URL: `${slack.url}/literature`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const m = JSON.parse(line) as { ready?: boolean; port?: number };
        if (m.ready) resolve(m.port!);
      });
      exited.then((code) => reject(new Error(`replica ${name} exited with ${code}: ${stderr}`)));
    });
    const replica = { name, port, child, exited, stderr: () => stderr };
    running.push(replica);
    return replica;
  }

  /** `count` Slack channels subscribed an hour ago for a minute that has just passed: due at once. */
  async function dueSubscriptions(url: string, count: number, prefix: string): Promise<string[]> {
    const now = new Date();
    const slot = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - 60_000);
    const time = slot.toISOString().slice(11, 16);
    const store = await openStore(url, { now: () => new Date(now.getTime() - 3_600_000), poolSize: 2 });
    const channels = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
    try {
      for (const channel of channels) {
        await store.subscriptions.subscribe({ channelKey: `slack:T1:${channel}`, time, timeZone: 'UTC', userId: 'U1' });
      }
    } finally {
      await store.close();
    }
    return channels;
  }

  /** Top-level digest posts (not thread replies) per channel, and who posted them. */
  function digestPosts(channels: readonly string[]): Map<string, string[]> {
    const by = new Map<string, string[]>(channels.map((c) => [c, []]));
    for (const r of slack.requests) {
      if (!r.path.includes('/chat.postMessage') || r.body.thread_ts !== undefined) continue;
      by.get(String(r.body.channel))?.push(r.path.split('/')[1]!);
    }
    return by;
  }

  /** Every paper's title appears in some message to the channel. */
  function papersShown(channel: string): number {
    const text = slack.requests
      .filter((r) => r.path.includes('/chat.postMessage') && r.body.channel === channel)
      .map((r) => JSON.stringify(r.body))
      .join('\n');
    return PAPERS.filter((p) => text.includes(p.title)).length;
  }

  /** Each active channel's last finished run, read by the test's own connection. */
  async function runs(url: string) {
    observer ??= await openStore(url, { poolSize: 2 });
    const store = observer;
    const rows = await store.subscriptions.listActive();
    return Promise.all(rows.map((s) => store.runs.lastSuccessfulRun(s.channelKey)));
  }

  async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) {
        const logs = running.map((r) => `--- replica ${r.name}:\n${r.stderr().slice(-3000)}`).join('\n');
        throw new Error(`timed out waiting for ${what}\n${logs}`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  it('answers a Slack event delivered to both replicas once, and a retry on the other once', async () => {
    const url = await database.freshSchema();
    const [a, b] = await Promise.all([start('a', url), start('b', url)]);
    const mention = (eventId: string, ts: number) => {
      const body = eventBody(
        { type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> pi3k`, channel: 'CMENTION', ts: '1.1' },
        eventId,
      );
      return { body, headers: slackHeaders(body, { ts }) };
    };
    const post = (port: number, m: { body: string; headers: Record<string, string> }, retry?: number) =>
      fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        body: m.body,
        headers: {
          ...m.headers,
          ...(retry ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } : {}),
        },
      });
    const answers = () =>
      slack.requests.filter((r) => r.path.includes('/chat.postMessage') && r.body.channel === 'CMENTION');

    // The same signed request to both at once (a load balancer retrying, or a replay).
    const same = mention('EvREPLICA1', Math.floor(Date.now() / 1000));
    const statuses = (await Promise.all([post(a.port, same), post(b.port, same)])).map((r) => r.status);
    expect(statuses).toContain(200);
    await until(() => answers().length >= 1, 10_000, 'the answer');
    // Slack's retry: the same event id, signed afresh, to the other replica.
    const retried = mention('EvREPLICA1', Math.floor(Date.now() / 1000) + 1);
    expect((await post(b.port, retried, 1)).status).toBe(200);
    expect((await post(a.port, mention('EvREPLICA1', Math.floor(Date.now() / 1000) + 2), 2)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect(answers()).toHaveLength(1);
  });

  it('posts each of 50 digests due in the same minute exactly once across the two', async () => {
    const url = await database.freshSchema();
    const channels = await dueSubscriptions(url, 50, 'CDUE');
    await Promise.all([start('a', url), start('b', url)]);
    await until(async () => (await runs(url)).every((r) => r?.status === 'posted'), 40_000, '50 posted runs');
    const posts = digestPosts(channels);
    expect([...posts.values()].map((p) => p.length)).toEqual(channels.map(() => 1));
    // Both replicas took part (the claim race is real, not one replica doing everything).
    expect(new Set([...posts.values()].flat())).toEqual(new Set(['a', 'b']));
    for (const channel of channels) expect(papersShown(channel)).toBe(PAPERS.length);
  });

  it('takes over from a replica killed (-9) while it posts: at most one repeat, nothing lost', async () => {
    const url = await database.freshSchema();
    const channels = await dueSubscriptions(url, 6, 'CKILL');
    let killed: string | undefined;
    let a: Replica | undefined;
    onPost = async (replica, req) => {
      if (replica !== 'a') return;
      if (!killed && a) {
        killed = String(req.body.channel);
        a.child.kill('SIGKILL');
      }
      await new Promise((r) => setTimeout(r, 60_000)); // never answered: the process is gone
    };
    a = await start('a', url);
    await until(() => killed !== undefined, 20_000, 'replica a to post');
    expect(await a.exited).toBeNull();
    await start('b', url);
    await until(async () => (await runs(url)).every((r) => r?.status === 'posted'), 30_000, 'every run posted');
    const posts = digestPosts(channels);
    const repeats = [...posts.values()].filter((p) => p.length > 1).length;
    expect(repeats).toBeLessThanOrEqual(1);
    for (const channel of channels) {
      expect(posts.get(channel)!.length).toBeGreaterThanOrEqual(1);
      expect(papersShown(channel)).toBe(PAPERS.length);
    }
    const takenOver = (await runs(url)).find((r) => r?.channelKey === `slack:T1:${killed}`);
    expect(takenOver).toMatchObject({ attempt: 2, claimedBy: expect.not.stringContaining(String(a.child.pid)) });
  });

  it('lets a replica sent SIGTERM while it posts finish: no repeat, nothing lost, exit 0', async () => {
    const url = await database.freshSchema();
    const channels = await dueSubscriptions(url, 6, 'CTERM');
    let signalled = false;
    let a: Replica | undefined;
    onPost = async (replica) => {
      if (replica !== 'a' || !a) return;
      if (!signalled) {
        signalled = true;
        a.child.kill('SIGTERM');
      }
      await new Promise((r) => setTimeout(r, 1500)); // a slow Slack: the post is in flight at SIGTERM
    };
    a = await start('a', url);
    await until(() => signalled, 20_000, 'replica a to post');
    await start('b', url);
    expect(await a.exited).toBe(0);
    expect(a.stderr()).toContain('stopped');
    await until(async () => (await runs(url)).every((r) => r?.status === 'posted'), 30_000, 'every run posted');
    const posts = digestPosts(channels);
    expect([...posts.values()].map((p) => p.length)).toEqual(channels.map(() => 1));
    for (const channel of channels) expect(papersShown(channel)).toBe(PAPERS.length);
  });
});
