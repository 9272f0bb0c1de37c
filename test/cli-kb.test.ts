import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { captureIo } from './helpers/capture-io.ts';
import { copyMinKb, MIN_KB } from './helpers/kb-fixture.ts';

describe('her2bot kb', () => {
  it('prints counts and version of the real knowledge base', async () => {
    const io = captureIo();
    expect(await main(['kb'], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/knowledge base \d+\.\d+\.\d+/);
    expect(text).toMatch(/mechanisms 13/);
    expect(text).toMatch(/agents\s+21/);
    expect(text).toMatch(/evidence\s+97/);
  });

  it('prints the whole knowledge base as JSON with --json', async () => {
    const io = captureIo();
    expect(await main(['kb', '--json', '--dir', MIN_KB], io)).toBe(0);
    const json = JSON.parse(io.stdout.join(''));
    expect(json.version).toBe('0.0.1');
    expect(json.evidence[0].id).toBe('ev-test-trial');
  });

  it('kb lint exits 0 on the real files and 1 with the problem listed on a broken copy', async () => {
    expect(await main(['kb', 'lint'], captureIo())).toBe(0);
    const kb = copyMinKb();
    kb.edit('evidence.yaml', (t) => t.replace('agents: [agent-test-tki]', 'agents: [agent-nope]'));
    const io = captureIo();
    expect(await main(['kb', 'lint', '--dir', kb.dir], io)).toBe(1);
    expect(io.stdout.join('\n')).toContain('error   evidence.yaml ev-test-trial agents[0]: unknown id agent-nope');
  });

  it('answers an unknown command or option with usage and status 2', async () => {
    const io = captureIo();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain("unknown command 'frobnicate'");
    const io2 = captureIo();
    expect(await main(['kb', '--bogus'], io2)).toBe(2);
    expect(io2.stderr.join('\n')).toContain('Usage:');
  });
});
