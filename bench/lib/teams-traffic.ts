/**
 * The Teams traffic of the Teams benches (teams-load.ts, teams-cpu.ts): the mixed message activities
 * they post, and the Bot Framework connector stand-in that receives the bot's replies.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CHANNEL_CONVERSATION, messageActivity } from '../../test/helpers/teams.ts';
import { type Delivery, DeliveryWaiters } from './load.ts';

/** How long a reply may take to reach the connector stand-in before the iteration is an error. */
export const DELIVERY_TIMEOUT_MS = 5000;

// --- what is sent ---------------------------------------------------------------------------------

export type Where = 'personal' | 'channel';

/**
 * Realistic mixed messages: searches, subcommands, a no-match and a hostile one; some in a personal
 * chat, some as an @-mention in a channel thread (the bot strips the mention and decodes entities).
 */
export const MIXED: { text: string; where: Where }[] = [
  { text: 'resistance pi3k', where: 'channel' },
  { text: 'T-DM1 vs lapatinib', where: 'personal' },
  { text: 'kadcyla', where: 'personal' },
  { text: 'p95', where: 'channel' },
  { text: 'neratinib evidence', where: 'personal' },
  { text: 'help', where: 'personal' },
  { text: 'mechanisms', where: 'channel' },
  { text: 'zebrafish tax return', where: 'personal' }, // matches nothing
  {
    // hostile: someone else's mention, HTML, entities, lunr syntax, template and JSON fragments
    text: `<at>Eve</at> <script>alert(1)</script>&nbsp;pi3k: ~ ^2 her2 - + "}]} \${x} {{x}} &amp;lt;b&gt; *bold*`,
    where: 'channel',
  },
];

/** A message activity from virtual user `user`, with a unique id that the reply's URL carries back. */
export function activityFor(connector: ConnectorStandIn, user: number, id: number, text: string, where: Where) {
  const conversationId =
    where === 'personal'
      ? `a:personal-u${user}`
      : `${CHANNEL_CONVERSATION.split(';')[0]};messageid=${1700000000000 + user}`;
  return {
    ...messageActivity(connector.serviceUrl, text, { conversationType: where, conversationId }),
    id: String(1800000000000 + id),
    from: { id: `29:user-${user}`, name: `Dr ${user}`, aadObjectId: `aad-${user}` },
  };
}

// --- Bot Framework connector stand-in, in this process --------------------------------------------

const REPLY_PATH = /\/v3\/conversations\/[^/]+\/activities\/([^/?]+)$/;

export class ConnectorStandIn {
  private readonly deliveries = new DeliveryWaiters(DELIVERY_TIMEOUT_MS);
  /** Requests that are not a reply to an activity (a literature API, a new conversation, …), by path prefix. */
  otherRequests: Record<string, number> = {};
  replies = 0;
  repliesWithAuthorization = 0;
  /** TCP connections the server opened to the connector: few means its outbound keep-alive works. */
  connections = 0;
  sampleReply: { method: string; path: string; body: string } | undefined;
  checkReply: (body: string) => string | undefined = () => undefined;
  private server: Server | undefined;
  url = '';

  get serviceUrl(): string {
    return `${this.url}/amer/`;
  }

  get unexpectedReplies(): number {
    return this.deliveries.unexpected;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let bytes = 0;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        chunks.push(chunk);
      });
      req.on('end', () => {
        const arrivedAt = performance.now();
        const path = req.url ?? '';
        const activityId = REPLY_PATH.exec(path)?.[1];
        if (!activityId || req.method !== 'POST') {
          const prefix = `${req.method} /${path.split('/')[1] ?? ''}`;
          this.otherRequests[prefix] = (this.otherRequests[prefix] ?? 0) + 1;
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"NotFound"}}');
          return;
        }
        this.replies++;
        if (req.headers.authorization) this.repliesWithAuthorization++;
        const body = Buffer.concat(chunks).toString('utf8');
        this.sampleReply ??= { method: req.method, path: decodeURIComponent(path), body: body.slice(0, 400) };
        this.deliveries.arrive(decodeURIComponent(activityId), { arrivedAt, bytes, problem: this.checkReply(body) });
        res.writeHead(200, { 'content-type': 'application/json' }).end(`{"id":"reply-${this.replies}"}`);
      });
    });
    this.server.on('connection', () => {
      this.connections++;
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves when the reply to activity `activityId` arrived; rejects after DELIVERY_TIMEOUT_MS. */
  expect(activityId: string): Promise<Delivery> {
    return this.deliveries.expect(activityId);
  }

  /** Clears the counts for the next server; `checkReply` says what a good reply holds. */
  reset(checkReply: (body: string) => string | undefined): void {
    this.otherRequests = {};
    this.replies = 0;
    this.repliesWithAuthorization = 0;
    this.connections = 0;
    this.deliveries.unexpected = 0;
    this.sampleReply = undefined;
    this.checkReply = checkReply;
  }

  report() {
    return {
      replies: this.replies,
      unexpectedReplies: this.unexpectedReplies,
      repliesWithAuthorization: this.repliesWithAuthorization,
      connectionsFromServer: this.connections,
      otherRequests: { ...this.otherRequests },
      sampleReply: this.sampleReply,
    };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}
