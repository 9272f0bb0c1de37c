import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger, keepAddressInLogs, redactSecrets, scrubSecrets } from '../src/logger.ts';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (l: string) => lines.push(l) } });
  return { logger, lines };
}

describe('logging', () => {
  it('redacts secrets by key, at any depth', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        token: 'xoxb-secret',
        slack: { signingSecret: 'abc', botToken: 'xoxb-2' },
        headers: { authorization: 'Bearer x' },
      },
      'hello',
    );
    const text = lines.join('');
    expect(text).not.toMatch(/xoxb-secret|xoxb-2|"abc"|Bearer x/);
    expect(text).toContain('[redacted]');
  });

  it('scrubs token-shaped strings, API keys in URLs and IP addresses from messages and errors', () => {
    const { logger, lines } = capture();
    logger.error(
      { err: new Error('failed with xoxb-123-456 from 10.1.2.3') },
      'GET https://x/esearch.fcgi?db=pubmed&api_key=SECRET&term=her2',
    );
    const text = lines.join('');
    expect(text).not.toMatch(/xoxb-123|10\.1\.2\.3|SECRET/);
    expect(text).toContain('api_key=[redacted]');
    expect(text).toContain('term=her2');
  });

  it('scrubs a secret in any string argument and leaves lines without one as they were', () => {
    const { logger, lines } = capture();
    logger.info('posted with %s', 'xoxb-9-8-7');
    logger.info('%s then %s', 'Authorization: Bearer abc.def', 'xapp-1-A-2');
    logger.info({ surface: 'slack' }, 'interaction');
    const [first, second, third] = lines.map((l) => JSON.parse(l) as { msg: string });
    expect(first!.msg).toBe('posted with [redacted]');
    expect(second!.msg).toBe('Authorization: [redacted] then [redacted]');
    expect(third!.msg).toBe('interaction');
  });

  it('leaves the bot’s own listen address and 0.0.0.0 alone, and still scrubs others', () => {
    expect(scrubSecrets('from 127.0.0.1')).toBe('from [redacted]');
    keepAddressInLogs('127.0.0.1');
    expect(scrubSecrets('her2-bot listening on http://127.0.0.1:3990')).toBe(
      'her2-bot listening on http://127.0.0.1:3990',
    );
    expect(scrubSecrets('HOST=0.0.0.0')).toBe('HOST=0.0.0.0');
    expect(scrubSecrets('on 192.0.2.10 from 10.9.9.9')).toBe('on [redacted] from [redacted]');
    keepAddressInLogs('192.0.2.10');
    expect(scrubSecrets('on 192.0.2.10 from 10.9.9.9')).toBe('on 192.0.2.10 from [redacted]');
  });

  it('scrubSecrets leaves ordinary text alone', () => {
    expect(scrubSecrets('PFS 9.6 vs 6.4 months, HR 0.65')).toBe('PFS 9.6 vs 6.4 months, HR 0.65');
  });

  it('redacts secrets in errors, arrays and headers, whatever the key’s case, in a child logger too', () => {
    const { logger, lines } = capture();
    const err = Object.assign(new Error('Slack said no'), {
      data: { response: { headers: { Authorization: 'Bearer deep-secret' } } },
    });
    logger
      .child({ surface: 'slack' })
      .warn(
        { err, calls: [{ token: 'in-an-array' }], req: { headers: { 'x-slack-signature': 'v0=abc123' } } },
        'call failed',
      );
    const line = JSON.parse(lines.join(''));
    expect(JSON.stringify(line)).not.toMatch(/deep-secret|in-an-array|v0=abc123/);
    expect(line.err.data.response.headers.Authorization).toBe('[redacted]');
    expect(line.err.message).toBe('Slack said no');
    expect(line.err.stack).toContain('Slack said no');
    expect(line.surface).toBe('slack');
    expect(line.calls).toEqual([{ token: '[redacted]' }]);
  });

  it('copies only what holds a secret, and leaves the logged object itself untouched', () => {
    const clean = { surface: 'slack', kind: 'command', ms: 1.2, nested: { list: [1, 'two'] } };
    expect(redactSecrets(clean)).toBe(clean);
    const secret = { keep: { a: 1 }, auth: { password: 'p' } };
    const redacted = redactSecrets(secret);
    expect(redacted).toEqual({ keep: { a: 1 }, auth: { password: '[redacted]' } });
    expect(redacted.keep).toBe(secret.keep);
    expect(secret.auth.password).toBe('p');
  });
});

/** A child process that logs through createLogger({ fd: 1 }) as `npm start` does, then runs `then`. */
function loggingChild(script: string): Promise<{ lines: string[]; firstLineAfterMs: number | undefined }> {
  const logger = fileURLToPath(new URL('../src/logger.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { createLogger } from ${JSON.stringify(logger)};\nconst log = createLogger({ level: 'info', fd: 1 });\n${script}`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const started = performance.now();
  let out = '';
  let firstLineAfterMs: number | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    firstLineAfterMs ??= performance.now() - started;
    out += chunk.toString('utf8');
  });
  return new Promise((resolve) => {
    child.on('close', () => resolve({ lines: out.split('\n').filter(Boolean), firstLineAfterMs }));
  });
}

describe('the production log destination (buffered)', () => {
  it('writes every line before the process exits, even when it exits at once', async () => {
    const { lines } = await loggingChild("for (let i = 0; i < 500; i++) log.info({ i }, 'line');\nprocess.exit(3);");
    expect(lines).toHaveLength(500);
    expect(JSON.parse(lines[499]!)).toMatchObject({ i: 499, msg: 'line' });
  });

  it('writes a lone line within the flush interval, without waiting for more', async () => {
    const started = Date.now();
    const { lines, firstLineAfterMs } = await loggingChild(
      "const t0 = Date.now();\nlog.info('alone');\nsetTimeout(() => { log.info({ waited: Date.now() - t0 }, 'later'); }, 1500);",
    );
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['alone', 'later']);
    // The first line arrived well before the second was logged (1.5 s after it).
    const total = Date.now() - started;
    expect(firstLineAfterMs).toBeLessThan(total - 1000);
  });
});
