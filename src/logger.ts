/**
 * One pino logger for the whole process (Bolt and the Teams adapter get child loggers of it).
 * JSON in production and when piped; pretty on a terminal. Secrets are redacted by key wherever they
 * appear, and token-shaped strings are scrubbed from messages by `scrubSecrets`.
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

const REDACTED_KEYS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'appPassword',
  'password',
  'apiKey',
  'api_key',
  'authorization',
  'Authorization',
  'secret',
  'client_secret',
];

export const redactPaths = [
  ...REDACTED_KEYS,
  ...REDACTED_KEYS.map((k) => `*.${k}`),
  ...REDACTED_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
  'headers.authorization',
  'headers["x-slack-signature"]',
];

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

/** Removes token-shaped strings, keys in URLs and IP addresses from free text before it is logged. */
export function scrubSecrets(text: string): string {
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
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? (process.stdout.isTTY === true && !options.destination);
  const base: pino.LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { app: 'her2-bot' },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as typeof args;
        method.apply(this, scrubbed);
      },
    },
    serializers: {
      err: (err: unknown) => {
        const s = pino.stdSerializers.err(err as Error);
        return { ...s, message: scrubSecrets(s.message ?? ''), stack: scrubSecrets(s.stack ?? '') };
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
  return pino(base);
}

/** A logger that discards everything: for tests and for CLI commands whose output is the answer. */
export const silentLogger: Logger = pino({ level: 'silent' });
