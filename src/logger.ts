/**
 * One pino logger for the whole process (Bolt and the Teams adapter get child loggers of it).
 * JSON in production and when piped; pretty on a terminal. Secrets are redacted by key wherever they
 * appear (`redactSecrets`), and token-shaped strings are scrubbed from messages by `scrubSecrets`.
 */
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * What opening the knowledge base and the search logs with: a pino logger, or the CLI's plain stderr
 * printer (so that answering one question never loads pino).
 */
export type OpenLog = Pick<Logger, 'debug' | 'warn'>;

/** What answering typed words logs a failed command with: a pino logger, or nothing on the command line. */
export type ErrorLog = Pick<Logger, 'error'>;

/** Keys whose values are secrets wherever they appear in a logged object (compared case-insensitively). */
const SECRET_KEYS: ReadonlySet<string> = new Set(
  [
    'token',
    'botToken',
    'appToken',
    'signingSecret',
    'appPassword',
    'password',
    'apiKey',
    'api_key',
    'authorization',
    'secret',
    'client_secret',
    'x-slack-signature',
  ].map((k) => k.toLowerCase()),
);

const CENSOR = '[redacted]';
/** Deep enough for an error's response headers (err.data.response.headers.authorization). */
const MAX_REDACT_DEPTH = 6;

/** Plain data: what is walked for secrets (class instances such as sockets are not walked). */
function isPlainData(value: object): boolean {
  if (Array.isArray(value) || value instanceof Error) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `value` with every secret-named key censored, at any depth up to MAX_REDACT_DEPTH: a copy of what
 * holds a secret, and `value` itself (no copy) when nothing does, which is nearly every log line.
 * Written here rather than pino's `redact` option because that one walked all its path patterns
 * on every line: ~45 µs per interaction line in bench/slack-load.ts's profile, more than answering.
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > MAX_REDACT_DEPTH || !isPlainData(value)) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const redacted = redactSecrets(item, depth + 1);
      if (redacted === item) return;
      copy ??= [...value];
      copy[i] = redacted;
    });
    return (copy ?? value) as T;
  }
  return redactEntries(value as Record<string, unknown>, depth, () => false) as T;
}

/** `record` with secret-named keys censored and other values redacted below; `skip` keys are left as they are. */
function redactEntries(
  record: Record<string, unknown>,
  depth: number,
  skip: (key: string) => boolean,
): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in record) {
    if (!Object.hasOwn(record, key) || skip(key)) continue;
    const original = record[key];
    const redacted =
      original !== undefined && SECRET_KEYS.has(key.toLowerCase()) ? CENSOR : redactSecrets(original, depth + 1);
    if (redacted === original) continue;
    copy ??= { ...record };
    copy[key] = redacted;
  }
  return copy ?? record;
}

/** A log line's object: `err` is left to its serializer (which redacts what it returns), the rest redacted here. */
const redactLogObject = (object: Record<string, unknown>) => redactEntries(object, 0, (key) => key === 'err');

const IPV4 = /\b\d{1,3}(\.\d{1,3}){3}\b/g;

const SECRET_PATTERNS: RegExp[] = [
  /xox[abposr]-[A-Za-z0-9-]+/g, // Slack tokens
  /xapp-[A-Za-z0-9-]+/g, // Slack app-level tokens
  /Bearer\s+[A-Za-z0-9._~+/=-]+/gi, // bearer tokens (Bot Framework JWTs)
  /([?&](api_key|apikey|key|token|email)=)[^&\s]+/gi, // keys and e-mail in query strings
  IPV4,
];

/**
 * Addresses that are not secrets: "every interface" and the bot's own listen address
 * (`keepAddressInLogs`), so "listening on http://127.0.0.1:3990" stays readable.
 */
const KEPT_ADDRESSES = new Set(['0.0.0.0']);
const isKept = (address: string) => KEPT_ADDRESSES.has(address);

/** The bot's own listen address is not a secret: the start-up line shows it. */
export function keepAddressInLogs(address: string): void {
  KEPT_ADDRESSES.add(address);
}

/**
 * True when `text` may hold what SECRET_PATTERNS match: a cheap first look, so the common message
 * ("interaction", "Slack is on") is not scanned five times on every line.
 */
const MAY_HOLD_SECRET = /xox|xapp|bearer|[?&]|\d\.\d/i;

/** Removes token-shaped strings, keys in URLs and IP addresses from free text before it is logged. */
export function scrubSecrets(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  let out = text;
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, prefix?: string) => {
      if (typeof prefix === 'string' && match.startsWith(prefix)) return `${prefix}[redacted]`;
      return pattern === IPV4 && isKept(match) ? match : '[redacted]';
    });
  }
  return out;
}

export interface LoggerOptions {
  level?: string;
  pretty?: boolean;
  destination?: pino.DestinationStream;
  /** Where the JSON lines go when no destination is given: 1 (stdout) unless said otherwise. */
  fd?: number;
}

/** How long a log line may wait in the buffer before it is written. */
export const LOG_FLUSH_MS = 250;

/**
 * The JSON lines, buffered: written when 4 KiB have gathered, at least every LOG_FLUSH_MS, and on
 * exit (pino flushes its own destinations then), as pino's documentation recommends for speed.
 * Writing every line by itself cost a /her2 command ~0.2 ms of CPU at one request at a time
 * (bench/slack-load.ts, LOG_LEVEL info against warn), a third of answering it. A process killed
 * outright (SIGKILL, out of memory) loses at most the last LOG_FLUSH_MS of lines.
 */
export function logDestination(fd = 1): pino.DestinationStream {
  return pino.destination({ dest: fd, minLength: 4096, sync: false, periodicFlush: LOG_FLUSH_MS });
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? (process.stdout.isTTY === true && !options.destination);
  const base: pino.LoggerOptions = {
    level: options.level ?? 'info',
    // Child loggers' bindings are not walked: they are names this code chooses (a surface, a module).
    formatters: { log: redactLogObject },
    base: { app: 'her2-bot' },
    hooks: {
      logMethod(args, method) {
        // A copy only for a line whose text held a secret: this runs for every line.
        const scrubbed = args.some((a) => typeof a === 'string' && scrubSecrets(a) !== a)
          ? (args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as typeof args)
          : args;
        method.apply(this, scrubbed);
      },
    },
    serializers: {
      err: (err: unknown) => {
        const s = pino.stdSerializers.err(err as Error);
        return redactSecrets({ ...s, message: scrubSecrets(s.message ?? ''), stack: scrubSecrets(s.stack ?? '') });
      },
    },
  };
  if (options.destination) return pino(base, options.destination);
  if (pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname,app' } },
    });
  }
  return pino(base, logDestination(options.fd));
}

/** A logger that discards everything: for tests and for CLI commands whose output is the answer. */
export const silentLogger: Logger = pino({ level: 'silent' });
