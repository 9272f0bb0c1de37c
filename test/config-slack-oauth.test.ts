/** Settings for Slack installs in several workspaces (OAuth), and what is refused with a clear message. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

const KEY = `2026-12:${randomBytes(32).toString('base64')}`;
const OLD = `2026-06:${randomBytes(32).toString('base64')}`;
const OAUTH = {
  SLACK_CLIENT_ID: '1111.2222',
  SLACK_CLIENT_SECRET: 'secret',
  SLACK_SIGNING_SECRET: 'signing',
  SLACK_STATE_SECRET: 'x'.repeat(32),
  SLACK_TOKEN_ENCRYPTION_KEY: KEY,
};

describe('Slack OAuth settings', () => {
  it('serve several workspaces over HTTP with no bot token, the redirect URL from PUBLIC_URL', () => {
    const config = loadConfig({ ...OAUTH, PUBLIC_URL: 'https://bots.example.org/her2' });
    expect(config.slack).toMatchObject({ mode: 'http', botToken: undefined });
    expect(config.slack?.oauth).toMatchObject({
      clientId: '1111.2222',
      redirectUri: 'https://bots.example.org/her2/slack/oauth_redirect',
      tokenKeys: { current: KEY, older: [] },
    });
    expect(config.server.host).toBe('0.0.0.0');
  });

  it('take older keys for a rotation, comma-separated', () => {
    const config = loadConfig({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_OLD_KEYS: ` ${OLD} ,` });
    expect(config.slack?.oauth?.tokenKeys.older).toEqual([OLD]);
  });

  it('name every missing or wrong setting at once', () => {
    expect(() => loadConfig({ SLACK_CLIENT_ID: '1111.2222' })).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(
          /SLACK_CLIENT_SECRET is required[\s\S]*SLACK_SIGNING_SECRET is required[\s\S]*SLACK_STATE_SECRET must be at least 32[\s\S]*SLACK_TOKEN_ENCRYPTION_KEY is required/,
        ),
      }),
    );
  });

  it('refuse a bot token or Socket Mode beside OAuth, and keys that are not 32 bytes or share an id', () => {
    expect(() => loadConfig({ ...OAUTH, SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/exclude each other/);
    expect(() => loadConfig({ ...OAUTH, SLACK_APP_TOKEN: 'xapp-1' })).toThrow(/OAuth installs need HTTP mode/);
    const short = `k:${randomBytes(8).toString('base64')}`;
    expect(() => loadConfig({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_KEY: short })).toThrow(
      /SLACK_TOKEN_ENCRYPTION_KEY: key "k" must be 32 bytes/,
    );
    expect(() => loadConfig({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_OLD_KEYS: KEY })).toThrow(
      /two keys have the id "2026-12"/,
    );
  });

  it('leave the single-token mode as it was', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    expect(config.slack).toMatchObject({ mode: 'http', botToken: 'xoxb-1', oauth: undefined });
  });
});
