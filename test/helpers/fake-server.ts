/**
 * A loopback stand-in for an external service (Slack's Web API, a response_url, the Bot Framework
 * connector, a literature API): records every request and answers with a handler the test controls.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  /** JSON bodies parsed; form bodies decoded, with JSON-looking fields (blocks, unfurls) parsed too. */
  body: Record<string, unknown>;
}

export type Reply = { status?: number; headers?: Record<string, string>; body?: unknown } | undefined;
export type Handler = (req: Recorded) => Reply | Promise<Reply>;

export interface FakeServer {
  url: string;
  requests: Recorded[];
  /** Replaces the handler (e.g. to fail the next call). */
  handle(handler: Handler): void;
  waitFor(predicate: (r: Recorded) => boolean, timeoutMs?: number): Promise<Recorded>;
  close(): Promise<void>;
}

function decode(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return { raw };
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    try {
      out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

export async function startFake(handler: Handler = () => ({ body: {} })): Promise<FakeServer> {
  let current = handler;
  const requests: Recorded[] = [];
  const waiters: { predicate: (r: Recorded) => boolean; resolve: (r: Recorded) => void }[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const recorded: Recorded = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      raw,
      body: decode(raw, req.headers['content-type']),
    };
    requests.push(recorded);
    for (const w of [...waiters]) {
      if (w.predicate(recorded)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(recorded);
      }
    }
    const reply = await current(recorded);
    if (reply === undefined) return; // never answer: a timeout for the client
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    res.writeHead(reply.status ?? 200, {
      'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json',
      ...reply.headers,
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(h) {
      current = h;
    },
    waitFor(predicate, timeoutMs = 5000) {
      const found = requests.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { predicate, resolve };
        waiters.push(waiter);
        setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) {
            waiters.splice(i, 1);
            reject(
              new Error(
                `no matching request within ${timeoutMs} ms; saw ${requests.map((r) => `${r.method} ${r.path}`).join(', ')}`,
              ),
            );
          }
        }, timeoutMs);
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
