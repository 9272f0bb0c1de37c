/** Signed requests exactly as Slack sends them, and a stand-in for Slack's Web API. */
import { createHmac } from 'node:crypto';
import { type FakeServer, type Recorded, type Reply, startFake } from './fake-server.ts';

export const SIGNING_SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test-token';
export const BOT_USER = 'UBOT';

export function slackHeaders(
  body: string,
  options: { secret?: string; ts?: number; contentType?: string } = {},
): Record<string, string> {
  const ts = options.ts ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', options.secret ?? SIGNING_SECRET)
    .update(`v0:${ts}:${body}`)
    .digest('hex')}`;
  return {
    'content-type': options.contentType ?? 'application/json',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': signature,
  };
}

export function slashCommandBody(text: string, responseUrl: string, extra: Record<string, string> = {}): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    team_domain: 'lab',
    channel_id: 'C1',
    channel_name: 'oncology',
    user_id: 'U1',
    user_name: 'dr.a',
    command: '/her2',
    text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: '1.2.3',
    ...extra,
  }).toString();
}

export function eventBody(
  event: Record<string, unknown>,
  eventId = `Ev${Math.random().toString(36).slice(2)}`,
): string {
  return JSON.stringify({
    token: 'legacy',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T1', user_id: BOT_USER, is_bot: true }],
    event,
  });
}

export function actionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/**
 * Slack's Web API on loopback: auth.test, chat.*, views.*, conversations.open (a DM `D<user>` per
 * user) and the external file upload (files.getUploadURLExternal hands out an upload URL on this same
 * server, POST /upload/<file id> takes the bytes, files.completeUploadExternal shares the file);
 * `failNext` scripts failures (`upload` for the upload POST itself).
 */
export interface FakeSlack extends FakeServer {
  apiUrl: string;
  calls(method: string): Recorded[];
  failNext(method: string, reply: Reply | 'hang', times?: number): void;
  /** The files uploaded to the upload URLs, in order: the file id and the file's part as sent. */
  uploads(): Promise<{ fileId: string; filename: string | undefined; type: string; text: string }[]>;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const failures = new Map<string, { reply: Reply | 'hang'; times: number }>();
  const fake = await startFake();
  let files = 0;
  fake.handle((req) => {
    const method = req.path.startsWith(UPLOAD_PATH) ? 'upload' : req.path.replace(/^\/api\//, '').split('?')[0]!;
    const failure = failures.get(method);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      return failure.reply;
    }
    if (req.path.startsWith('/response/')) return { body: { ok: true } };
    switch (method) {
      case 'conversations.open':
        return { body: { ok: true, channel: { id: `D${String(req.body.users ?? '').split(',')[0]}` } } };
      case 'files.getUploadURLExternal': {
        files += 1;
        const fileId = `F${String(files).padStart(4, '0')}`;
        // The URL is followed as given: on this server, like Slack's own files.slack.com URL.
        return { body: { ok: true, upload_url: `${fake.url}${UPLOAD_PATH}${fileId}`, file_id: fileId } };
      }
      case 'upload':
        return { status: 200, body: `OK - ${req.bytes.length}` };
      case 'files.completeUploadExternal':
        return { body: { ok: true, files: req.body.files } };
      case 'auth.test':
        return { body: { ok: true, user_id: BOT_USER, bot_id: 'BBOT', team_id: 'T1' } };
      case 'chat.postMessage':
        return { body: { ok: true, channel: req.body.channel, ts: '1700000000.000100' } };
      default:
        return { body: { ok: true } };
    }
  });
  return Object.assign(fake, {
    apiUrl: `${fake.url}/api/`,
    calls: (method: string) => fake.requests.filter((r) => r.path.startsWith(`/api/${method}`)),
    failNext: (method: string, reply: Reply | 'hang', times = 1) => failures.set(method, { reply, times }),
    uploads: () => Promise.all(fake.requests.filter((r) => r.path.startsWith(UPLOAD_PATH)).map(uploadedFile)),
  });
}

const UPLOAD_PATH = '/upload/';

/** The file part of an upload POST: the Web API client sends the bytes as multipart/form-data. */
async function uploadedFile(req: Recorded) {
  const form = await new Response(new Uint8Array(req.bytes), {
    headers: { 'content-type': String(req.headers['content-type']) },
  }).formData();
  const part = [...form.values()].find((v): v is File => typeof v !== 'string');
  return {
    fileId: req.path.slice(UPLOAD_PATH.length),
    filename: part?.name,
    type: String(req.headers['content-type']).split(';')[0]!,
    text: part ? await part.text() : '',
  };
}
