/**
 * Text over HTTP for the literature sources: one request with a timeout, retried with backoff when the
 * failure is the kind that passes (429, 5xx, a dropped connection, a timeout), and turned into a coded
 * `SourceError` when it does not pass. The digest decides from the code whether to alert ("query"),
 * retry on the next run ("timeout", "network", a retryable "http"), or fix the code ("parse").
 *
 * The services are read-only, so retrying a POST is as safe as retrying a GET. Nothing here logs a URL
 * with its query string: E-utilities keys and e-mail addresses travel there (or in a POST body), and
 * NCBI's 429 body echoes the caller's IP address or key. Only `host/path` and scrubbed text are logged.
 */
import type { Logger } from '../logger.ts';
import { scrubSecrets } from '../logger.ts';

export type SourceErrorCode = 'timeout' | 'http' | 'network' | 'parse' | 'query' | 'too_large' | 'shortfall';

/** The one error a literature source throws. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  readonly status: number | undefined;
  /** True when the same request may succeed later (the next digest run should simply try again). */
  readonly retryable: boolean;

  constructor(
    readonly code: SourceErrorCode,
    message: string,
    options: { status?: number; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.retryable = options.retryable ?? false;
  }
}

export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  /** The backoff ceiling of the first retry; it doubles with each further retry. */
  baseDelayMs: number;
  /** The longest wait before a retry, for backoff and for a server's Retry-After alike. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

/** What a source passes to every request it makes; tests inject time and randomness here. */
export interface HttpClientOptions {
  timeoutMs: number;
  retry?: Partial<RetryPolicy>;
  /** Extra headers, typically a User-Agent naming the bot and a contact. */
  headers?: Record<string, string>;
  /** Runs each attempt; E-utilities pass their shared rate limiter's `schedule` here. */
  schedule?: <T>(attempt: () => Promise<T>) => Promise<T>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  logger?: Logger;
  /** Literal values (an API key) to remove from anything logged or put in an error message. */
  secrets?: readonly string[];
  /** The largest response body read (HTTP_MAX_BODY_BYTES); a bigger one fails with code `too_large`. */
  maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface HttpOptions extends HttpClientOptions {
  method?: 'GET' | 'POST';
  /** The POST body, sent as application/x-www-form-urlencoded; undefined values are left out. */
  form?: Record<string, string | undefined>;
}

const RETRYABLE_STATUS = (status: number) => status === 429 || status >= 500;
const ERROR_BODY_CHARS = 200;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Fetches `url` and returns the body of a 2xx response as text. Retries 429, 5xx, network errors and
 * timeouts with exponential backoff and full jitter, or after the server's Retry-After (capped); any
 * other status fails at once. Throws a SourceError once the attempts are used up.
 */
export async function fetchText(url: string, options: HttpOptions): Promise<string> {
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const schedule = options.schedule ?? (<T>(attempt: () => Promise<T>) => attempt());
  const endpoint = describeEndpoint(url, options.secrets);

  for (let attempt = 0; ; attempt++) {
    const outcome = await schedule(() => attemptOnce(url, options, endpoint));
    if (outcome.ok) return outcome.text;

    const { error } = outcome;
    if (!error.retryable || attempt >= policy.retries) {
      if (attempt === 0) throw error;
      throw new SourceError(error.code, `${error.message} (after ${attempt + 1} attempts)`, {
        status: error.status,
        retryable: error.retryable,
        cause: error.cause,
      });
    }
    const retryAfter = parseRetryAfter(outcome.retryAfter, now());
    const delayMs = Math.round(
      retryAfter !== undefined
        ? Math.min(retryAfter, policy.maxDelayMs)
        : random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt),
    );
    options.logger?.warn(
      { endpoint, attempt: attempt + 1, code: error.code, status: error.status, delayMs },
      'literature source request failed; retrying',
    );
    await sleep(delayMs);
  }
}

type Outcome = { ok: true; text: string } | { ok: false; error: SourceError; retryAfter?: string | null };

async function attemptOnce(url: string, options: HttpOptions, endpoint: string): Promise<Outcome> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (method === 'POST') {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(options.form ?? {})) if (value !== undefined) form.set(key, value);
    body = form.toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  // One signal for the whole exchange: a server that sends headers and then stalls the body times out too.
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await fetch(url, { method, headers, body, signal, redirect: 'follow' });
    if (response.ok) {
      const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      const text = await readCapped(response, limit);
      if (text !== undefined) return { ok: true, text };
      return {
        ok: false,
        error: new SourceError(
          'too_large',
          `${method} ${endpoint}: the response is larger than ${limit} bytes (HTTP_MAX_BODY_BYTES); raise it if this source really sends that much`,
          { status: response.status, retryable: false },
        ),
      };
    }

    const detail = redact(await response.text().catch(() => ''), options.secrets)
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, ERROR_BODY_CHARS);
    const retryable = RETRYABLE_STATUS(response.status);
    const message = `${method} ${endpoint}: HTTP ${response.status}${detail ? `: ${detail}` : ''}`;
    return {
      ok: false,
      error: new SourceError('http', message, { status: response.status, retryable }),
      retryAfter: response.headers.get('retry-after'),
    };
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    const reason = timedOut
      ? `no complete answer within ${options.timeoutMs} ms`
      : redact(networkReason(err), options.secrets);
    return {
      ok: false,
      error: new SourceError(timedOut ? 'timeout' : 'network', `${method} ${endpoint}: ${reason}`, {
        retryable: true,
        cause: err,
      }),
    };
  }
}

/** The body as text, or undefined (and the connection dropped) once it passes `limit` bytes. */
async function readCapped(response: Response, limit: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) {
      await response.body.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Milliseconds to wait from a Retry-After header: delta-seconds or an HTTP date; undefined if absent or bad. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** `host/path` only: the query string may hold a key or an e-mail address. */
function describeEndpoint(url: string, secrets: readonly string[] | undefined): string {
  try {
    const u = new URL(url);
    return redact(`${u.host}${u.pathname}`, secrets);
  } catch {
    return '(invalid URL)';
  }
}

/** undici reports "fetch failed" and hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
function networkReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause : undefined;
  const code = cause && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  return [err.message, code ?? cause?.message].filter(Boolean).join(': ');
}

/**
 * scrubSecrets plus what it cannot know: the configured key itself, and NCBI's JSON echo of the
 * caller's key or IP (`"api-key":"…"`).
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = scrubSecrets(text).replace(/("api[-_]?key"\s*:\s*")[^"]*"/gi, '$1[redacted]"');
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
  return out;
}

/** A User-Agent that names the bot and, when configured, how to reach its operator. */
export function userAgent(tool: string, email?: string): string {
  return email ? `${tool} (mailto:${email})` : tool;
}
