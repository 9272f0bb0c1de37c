/**
 * The one loopback stand-in for every external service (Slack's Web API and response_url, the Bot
 * Framework connector, a local OpenID endpoint, the literature APIs): real HTTP on 127.0.0.1 with real
 * status codes and headers, so tests exercise the bot's real clients. It records every request and
 * answers from a route for the path, else from the handler the test set.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  /** The path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: string;
  /** The body's bytes as sent (a file upload). */
  bytes: Buffer;
  /** JSON bodies parsed; form bodies decoded, with JSON-looking fields (blocks, unfurls) parsed too. */
  body: Record<string, unknown>;
  /** The body as a form (what E-utilities are sent); empty for anything else. */
  form: URLSearchParams;
}

/** A string body is sent as it is (plain text unless `headers` say otherwise); anything else as JSON. */
export type Reply = { status?: number; headers?: Record<string, string>; body?: unknown };
/** `'hang'` never answers: the client's timeout must fire. */
export type Handler = (req: Recorded) => Reply | 'hang' | Promise<Reply | 'hang'>;

export interface FakeServer {
  /** The base URL, with no trailing slash: `http://127.0.0.1:PORT`. */
  url: string;
  requests: Recorded[];
  /** Replaces the handler for paths without a route (e.g. to fail the next call). */
  handle(handler: Handler): void;
  /** Answers one path (`/esearch.fcgi`) from its own handler. */
  route(path: string, handler: Handler): void;
  /** Forgets routes and requests, and drops the requests left hanging. */
  reset(): void;
  waitFor(predicate: (r: Recorded) => boolean, timeoutMs?: number): Promise<Recorded>;
  close(): Promise<void>;
}

export function json(body: string, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, body, headers: { 'content-type': 'application/json', ...headers } };
}

export function xml(body: string, status = 200): Reply {
  return { status, body, headers: { 'content-type': 'text/xml; charset=UTF-8' } };
}

export function text(body: string, status: number): Reply {
  return { status, body, headers: { 'content-type': 'text/plain' } };
}

/** Answers with each reply in turn, then repeats the last one. */
export function replies(...sequence: (Reply | 'hang')[]): Handler {
  let next = 0;
  return () => sequence[Math.min(next++, sequence.length - 1)] ?? { status: 500 };
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

/** Starts the server; without a handler, a path with no route answers 404. */
export async function startFake(
  handler: Handler = (req) => text(`no route for ${req.path}`, 404),
): Promise<FakeServer> {
  let fallback = handler;
  const routes = new Map<string, Handler>();
  const requests: Recorded[] = [];
  const hanging = new Set<ServerResponse>();
  const waiters: { predicate: (r: Recorded) => boolean; resolve: (r: Recorded) => void }[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const contentType = req.headers['content-type'];
    const recorded: Recorded = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      raw,
      bytes,
      body: decode(raw, contentType),
      form: new URLSearchParams(contentType?.includes('application/json') ? '' : raw),
    };
    requests.push(recorded);
    for (const w of [...waiters]) {
      if (w.predicate(recorded)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(recorded);
      }
    }
    const reply = await (routes.get(url.pathname) ?? fallback)(recorded);
    if (reply === 'hang') {
      hanging.add(res);
      return;
    }
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
      fallback = h;
    },
    route(path, h) {
      routes.set(path.startsWith('/') ? path : `/${path}`, h);
    },
    reset() {
      routes.clear();
      requests.length = 0;
      for (const res of hanging) res.destroy();
      hanging.clear();
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
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
