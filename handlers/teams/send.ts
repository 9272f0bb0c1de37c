/**
 * Sending through the Bot Framework connector without ever crashing the process: 429 is retried
 * after Retry-After, 403 (the bot was removed), 404 and 5xx are logged without secrets and reported
 * to the caller, who decides whether the user can still be told.
 */
import type { Activity, ResourceResponse, TurnContext } from 'botbuilder';
import type { Logger } from '../../src/logger.ts';

export type SendFailure = { status: number | undefined; code: string; removed: boolean };

const MAX_RETRY_AFTER_MS = 10_000;

export function describeConnectorError(err: unknown): SendFailure {
  const e = err as { statusCode?: number; status?: number; code?: string; response?: { status?: number } };
  const status = e.statusCode ?? e.status ?? e.response?.status;
  return { status, code: e.code ?? (status ? `HTTP ${status}` : 'network error'), removed: status === 403 };
}

function retryAfterMs(err: unknown): number | undefined {
  const e = err as {
    response?: { headers?: { get?(name: string): string | undefined | null } | Record<string, string> };
  };
  const headers = e.response?.headers;
  const raw =
    headers && typeof (headers as { get?: unknown }).get === 'function'
      ? (headers as { get(name: string): string | undefined | null }).get('retry-after')
      : (headers as Record<string, string> | undefined)?.['retry-after'];
  if (!raw) return undefined;
  const seconds = Number(raw);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(raw) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined;
}

/** Runs one connector call, retrying once after a 429; returns the failure instead of throwing. */
export async function withConnector<T>(
  logger: Logger,
  what: string,
  call: () => Promise<T>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<{ ok: true; value: T } | { ok: false; failure: SendFailure }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await call() };
    } catch (err) {
      const failure = describeConnectorError(err);
      if (failure.status === 429 && attempt < 3) {
        await sleep(retryAfterMs(err) ?? 1000 * attempt);
        continue;
      }
      logger[failure.status !== undefined && failure.status < 500 ? 'warn' : 'error'](
        { connectorStatus: failure.status, connectorError: failure.code, what },
        failure.removed
          ? `Teams: the bot was removed from the conversation (${what} refused)`
          : `Teams: ${what} failed (${failure.code})`,
      );
      return { ok: false, failure };
    }
  }
}

/** Sends a reply; if the card is refused for a reason the user can still be told about, says so in text. */
export async function reply(
  ctx: TurnContext,
  logger: Logger,
  activity: Partial<Activity>,
): Promise<ResourceResponse | undefined> {
  const sent = await withConnector(logger, 'reply', () => ctx.sendActivity(activity));
  if (sent.ok) return sent.value;
  const { status } = sent.failure;
  if (status !== undefined && status !== 403 && status !== 404 && status < 500) {
    await withConnector(logger, 'fallback reply', () =>
      ctx.sendActivity('Sorry, I could not show that answer here. Please try again.'),
    );
  }
  return undefined;
}
