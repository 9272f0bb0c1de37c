/**
 * One policy for every interaction on every surface: one info line when it ends (surface, kind,
 * answer type, latency, a correlation id), the user's words only at debug (clinicians may paste
 * patient details), and a failure logged with that id and answered with a short "something went
 * wrong" that quotes it, never a stack trace in chat and never silence.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from './logger.ts';

export type InteractionKind =
  | 'command'
  | 'mention'
  | 'dm'
  | 'click'
  | 'share'
  | 'extension'
  | 'unfurl'
  | 'home'
  | 'welcome';

export interface InteractionRecord {
  /** Quoted to the user when something fails, and on every log line of this interaction. */
  readonly id: string;
  /** The type of answer given (a card kind, `digest`, `notice`, …). */
  answered(type: string): void;
  /** The user's words, logged at debug only. */
  words(text: string): void;
}

/** Each logger's own `surface` binding, read once: a line must not name it again (pino would write the key twice). */
const boundSurfaces = new WeakMap<Logger, unknown>();
function boundSurface(logger: Logger): unknown {
  if (!boundSurfaces.has(logger)) boundSurfaces.set(logger, logger.bindings().surface);
  return boundSurfaces.get(logger);
}

export function somethingWentWrong(id: string): string {
  return `Sorry, something went wrong answering that. Please try again (reference ${id}).`;
}

/**
 * Runs one interaction under the policy. What `run` returns is the interaction's answer (an invoke's
 * response body, for a message extension); on failure, what `onError` returns stands in for it, and
 * `fallback` if telling the user failed too. With no way to reply (an unfurl), `onError` does nothing.
 */
export async function interaction<T = void>(
  logger: Logger,
  surface: string,
  kind: InteractionKind,
  run: (record: InteractionRecord) => Promise<T>,
  onError: (id: string) => Promise<T>,
  fallback?: T,
): Promise<T> {
  const id = randomUUID().slice(0, 8);
  const started = performance.now();
  const where = boundSurface(logger) === surface ? { kind, id } : { surface, kind, id };
  let answer: string | undefined;
  const record: InteractionRecord = {
    id,
    answered: (type) => {
      answer = type;
    },
    words: (text) => {
      if (logger.isLevelEnabled('debug')) logger.debug({ ...where, text }, 'interaction words');
    },
  };
  try {
    return await run(record);
  } catch (err) {
    answer = 'failed';
    logger.error({ err, ...where }, `${surface} ${kind} failed`);
    try {
      return await onError(id);
    } catch (replyErr) {
      logger.warn({ err: replyErr, ...where }, 'could not tell the user that it failed');
      return fallback as T;
    }
  } finally {
    const ms = Math.round((performance.now() - started) * 100) / 100;
    logger.info({ ...where, answer: answer ?? 'none', ms }, 'interaction');
  }
}
