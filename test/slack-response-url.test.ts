/**
 * handlers/slack/response-url.ts: the response_url POST that stands in for Bolt's respond(), against
 * a loopback stand-in of Slack's response_url endpoint.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RespondError } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responder } from '../handlers/slack/response-url.ts';

interface Received {
  method: string | undefined;
  path: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

const received: Received[] = [];
let status = 200;
const server = createServer((req: IncomingMessage, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({
      method: req.method,
      path: req.url,
      contentType: req.headers['content-type'],
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
    });
    res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{"ok":true}' : 'expired_url');
  });
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('answering through a response_url', () => {
  it('posts the message as JSON to the response_url, a string as its text, and returns the answer', async () => {
    received.length = 0;
    status = 200;
    const respond = responder(`${base}/commands/T1/123/abc`);
    const answer = await respond({ response_type: 'ephemeral', text: 'Digest active', blocks: [] });
    await respond('plain words');
    expect(received).toEqual([
      {
        method: 'POST',
        path: '/commands/T1/123/abc',
        contentType: 'application/json',
        body: { response_type: 'ephemeral', text: 'Digest active', blocks: [] },
      },
      { method: 'POST', path: '/commands/T1/123/abc', contentType: 'application/json', body: { text: 'plain words' } },
    ]);
    expect(answer.ok).toBe(true);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('Content-Type')).toBe('application/json');
    expect(await answer.json()).toEqual({ ok: true });
  });

  it('throws a RespondError with the status when Slack refuses, as Bolt does', async () => {
    status = 404;
    const failure = await responder(`${base}/commands/T1/old`)('late').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RespondError);
    expect((failure as RespondError).statusCode).toBe(404);
    expect((failure as Error).message).toContain('404');
  });

  it('rejects when nothing answers at the response_url', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(responder(`http://127.0.0.1:${port}/x`)('hi')).rejects.toThrow();
  });
});
