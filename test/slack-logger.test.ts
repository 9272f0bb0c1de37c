/**
 * handlers/slack/logger.ts: Bolt's logger over ours. Bolt interpolates whole payloads into its debug
 * lines (every ack: "ack() response sent (body: …)", with the card's JSON), so what the level drops
 * must not be formatted at all.
 */
import { describe, expect, it } from 'vitest';
import { boltLogger } from '../handlers/slack/logger.ts';
import { createLogger } from '../src/logger.ts';

function capture(level: string) {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (l: string) => lines.push(l) } });
  return { bolt: boltLogger(logger), lines };
}

/** An argument that counts how often it is turned into text. */
function counted() {
  const seen = { count: 0 };
  return {
    seen,
    arg: {
      toJSON() {
        seen.count++;
        return { card: 'x' };
      },
    },
  };
}

describe('Bolt logger over ours', () => {
  it('does not format a debug or info line that the level drops', () => {
    const { bolt, lines } = capture('warn');
    const { seen, arg } = counted();
    bolt.debug('ack() response sent', arg);
    bolt.info('stored', arg);
    expect(seen.count).toBe(0);
    expect(lines).toEqual([]);
  });

  it('writes what the level keeps, with the Slack surface and the text of every argument', () => {
    const { bolt, lines } = capture('debug');
    const { seen, arg } = counted();
    bolt.debug('ack() response sent', arg);
    bolt.warn('slow', new Error('timeout'));
    expect(seen.count).toBe(1);
    const [debug, warn] = lines.map((l) => JSON.parse(l) as { level: number; surface: string; msg: string });
    expect(debug).toMatchObject({ level: 20, surface: 'slack', msg: 'ack() response sent {"card":"x"}' });
    expect(warn).toMatchObject({ level: 40, surface: 'slack', msg: 'slow timeout' });
  });
});
