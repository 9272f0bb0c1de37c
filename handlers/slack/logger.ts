/** Bolt's Logger interface over our pino logger, so Slack logs share format and redaction. */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../src/logger.ts';

const toPino: Record<LogLevel, string> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

export function boltLogger(logger: Logger): BoltLogger {
  let child = logger.child({ surface: 'slack' });
  const text = (args: unknown[]) =>
    args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a))).join(' ');
  // Bolt interpolates whole payloads into its debug lines (every ack logs the body it sends, for
  // /her2 the card's JSON): what the level drops is not turned into text.
  return {
    debug: (...args) => child.isLevelEnabled('debug') && child.debug(text(args)),
    info: (...args) => child.isLevelEnabled('info') && child.info(text(args)),
    warn: (...args) => child.warn(text(args)),
    error: (...args) => child.error(text(args)),
    setLevel: () => undefined, // the level is ours (LOG_LEVEL), not Bolt's
    getLevel: () => (Object.entries(toPino).find(([, v]) => v === child.level)?.[0] as LogLevel) ?? LogLevel.INFO,
    setName: (name: string) => {
      child = logger.child({ surface: 'slack', component: name });
    },
  };
}
