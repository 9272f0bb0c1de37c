/**
 * Answering through a command's or a click's `response_url`, as Bolt's `respond()` does (the same
 * POST of the message as JSON, and a RespondError when Slack refuses it), over undici's request API
 * on one keep-alive agent instead of `fetch`. Bolt's respond() goes through fetch, whose WHATWG
 * streams and Request/Response objects cost a `/her2 digest status` reply more CPU than answering it
 * (bench/slack-cpu.ts, profiled with --cpu-prof-dir). Slack allows five uses of a response_url in
 * thirty minutes; every one of them goes through here.
 */
import { type RespondArguments, RespondError, type RespondFn } from '@slack/bolt';
import { Agent, request } from 'undici';

/** Slack answers a response_url at once; one that does not answer in this time has failed. */
const TIMEOUT_MS = 10_000;

const agent = new Agent({ headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS, connectTimeout: TIMEOUT_MS });

/** Bolt's respond() for this response_url: same arguments, same errors, the answer as fetch would give it. */
export function responder(responseUrl: string): RespondFn {
  return async (message: string | RespondArguments) => {
    const response = await request(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(typeof message === 'string' ? { text: message } : message),
      dispatcher: agent,
    });
    // Read whole (Slack answers "ok" or a short JSON), which also frees the connection for the next reply.
    const text = await response.body.text();
    const status = response.statusCode;
    if (status < 200 || status > 299) {
      throw new RespondError(`Failed to respond to the response_url: ${status}`, status);
    }
    const header = (name: string) => {
      const value = response.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    };
    return {
      ok: true,
      status,
      statusText: '',
      url: responseUrl,
      headers: {
        get: header,
        entries: () => Object.keys(response.headers).map((k): [string, string] => [k, header(k)!]),
      },
      text: async () => text,
      json: async () => JSON.parse(text) as unknown,
      arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
    };
  };
}
