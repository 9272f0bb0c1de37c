/**
 * A loopback stand-in for the literature services (E-utilities, ClinicalTrials.gov, Europe PMC): real
 * HTTP on 127.0.0.1 with real status codes and headers, so tests exercise the real fetch, retry, limiter
 * and parse code. Each path answers from a handler; `replies()` scripts a sequence (429, then 200).
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The form-encoded POST body (empty for GET). */
  form: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

/** `'hang'` never answers: the client's timeout must fire. */
export type Handler = (request: RecordedRequest) => Reply | 'hang';

export interface StandIn {
  /** Base URL ending in `/`. */
  url: string;
  requests: RecordedRequest[];
  route(path: string, handler: Handler): void;
  reset(): void;
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

export async function startStandIn(): Promise<StandIn> {
  const routes = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
        headers: req.headers,
      };
      requests.push(recorded);
      const handler = routes.get(url.pathname);
      const reply = handler ? handler(recorded) : text(`no route for ${url.pathname}`, 404);
      if (reply === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(reply.status ?? 200, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    route: (path, handler) => routes.set(path.startsWith('/') ? path : `/${path}`, handler),
    reset() {
      routes.clear();
      requests.length = 0;
      for (const res of hanging) res.destroy();
      hanging.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
