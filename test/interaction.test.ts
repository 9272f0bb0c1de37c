import { describe, expect, it } from 'vitest';
import { interaction, somethingWentWrong } from '../src/interaction.ts';
import { createLogger } from '../src/logger.ts';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, destination: { write: (l: string) => lines.push(JSON.parse(l)) } });
  return { logger, lines };
}

describe('one log line per interaction', () => {
  it('logs surface, kind, answer type, latency and a correlation id at info, and the words only at debug', async () => {
    const { logger, lines } = capture('info');
    await interaction(
      logger,
      'slack',
      'mention',
      async (record) => {
        record.words('my patient, 54, ER+ HER2+');
        record.answered('mechanism');
      },
      async () => undefined,
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ surface: 'slack', kind: 'mention', answer: 'mechanism', msg: 'interaction' });
    expect(lines[0]!.id).toMatch(/^[0-9a-f]{8}$/);
    expect(typeof lines[0]!.ms).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('patient');

    const debug = capture('debug');
    await interaction(
      debug.logger,
      'teams',
      'dm',
      async (r) => r.words('p95'),
      async () => undefined,
    );
    expect(debug.lines.find((l) => l.msg === 'interaction words')).toMatchObject({ text: 'p95', kind: 'dm' });
  });

  it('names the surface once when the logger is already a child bound to it', async () => {
    const raw: string[] = [];
    const root = createLogger({ level: 'info', destination: { write: (l: string) => raw.push(l) } });
    const run = async (r: { answered(t: string): void }) => r.answered('agent');
    await interaction(root.child({ surface: 'teams' }), 'teams', 'dm', run, async () => undefined);
    await interaction(root.child({ component: 'x' }), 'teams', 'dm', run, async () => undefined);
    expect(raw).toHaveLength(2);
    for (const line of raw) {
      expect(line.match(/"surface":/g), line).toHaveLength(1);
      expect(JSON.parse(line)).toMatchObject({ surface: 'teams', kind: 'dm', answer: 'agent', msg: 'interaction' });
    }
  });

  it('on failure logs the error with the id and tells the user a short message that quotes it', async () => {
    const { logger, lines } = capture('info');
    const told: string[] = [];
    await interaction(
      logger,
      'teams',
      'click',
      async () => {
        throw new Error('boom at /srv/secret/path.ts:12');
      },
      async (id) => {
        told.push(somethingWentWrong(id));
      },
    );
    const failed = lines.find((l) => l.level === 50)!;
    expect(failed).toMatchObject({ surface: 'teams', kind: 'click' });
    expect(told).toEqual([somethingWentWrong(failed.id as string)]);
    expect(told[0]).not.toContain('boom');
    expect(lines.at(-1)).toMatchObject({ msg: 'interaction', answer: 'failed', id: failed.id });
  });

  it('returns the answer, or what onError gives on failure, or the fallback when telling the user fails too', async () => {
    const { logger, lines } = capture('info');
    const fail = async (): Promise<string> => {
      throw new Error('boom');
    };
    expect(await interaction(logger, 'teams', 'extension', async () => 'cards', fail)).toBe('cards');
    expect(await interaction(logger, 'teams', 'extension', fail, async (id) => `sorry ${id}`)).toMatch(
      /^sorry [0-9a-f]{8}$/,
    );
    expect(await interaction(logger, 'teams', 'extension', fail, fail, 'empty')).toBe('empty');
    expect(lines.filter((l) => l.msg === 'interaction').map((l) => l.answer)).toEqual(['none', 'failed', 'failed']);
    expect(lines.some((l) => l.msg === 'could not tell the user that it failed')).toBe(true);
  });
});
