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
