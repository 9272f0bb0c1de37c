import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('applies defaults with no settings at all: no Slack, Teams off, playground on loopback', () => {
    const config = loadConfig({});
    expect(config.server).toEqual({
      port: 3978,
      host: '127.0.0.1',
      publicUrl: undefined,
      healthDetails: false,
      shutdownGraceMs: 20_000,
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.digest.leaseMs).toBe(30 * 60_000);
    expect(config.slack).toBeUndefined();
    expect(config.teams.appId).toBeUndefined();
    expect(config.teams.mode).toBe('off');
    expect(config.playground).toBe(true);
    expect(config.digest.sources).toEqual(['pubmed', 'clinicaltrials']);
    expect(config.digest.pubmedBaseUrl).toBe('https://eutils.ncbi.nlm.nih.gov/entrez/eutils/');
    expect(config.databasePath).toBe('./data/her2bot.db');
  });

  it('selects PostgreSQL with DATABASE_URL, and says plainly what is wrong with a bad one, never its password', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://bot:pw@db.example.org:5432/her2bot' }).databaseUrl).toBe(
      'postgres://bot:pw@db.example.org:5432/her2bot',
    );
    const problem = (url: string) => {
      try {
        loadConfig({ DATABASE_URL: url });
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error(`${url} was accepted`);
    };
    expect(problem('mysql://bot:secret@db/her2bot')).toMatch(
      /DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    expect(problem('postgres://bot:secret@db.example.org')).toMatch(/names no database/);
    expect(problem('postgres://bot:secret@db.example.org')).toContain('postgres://bot:***@db.example.org');
    for (const url of ['mysql://bot:secret@db/x', 'postgres://bot:secret@db.example.org', 'postgres://bot:secret@/x']) {
      expect(problem(url)).not.toContain('secret');
    }
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.digest)).toBe(true);
  });

  it('enables Slack in HTTP mode with a bot token and signing secret, Socket Mode with an app token', () => {
    const http = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    expect(http.slack?.mode).toBe('http');
    expect(http.playground).toBe(false);
    const socket = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_APP_TOKEN: 'xapp-1' });
    expect(socket.slack?.mode).toBe('socket');
  });

  it('listens on every interface only for a platform with credentials that calls in over HTTP', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).server.host).toBe('0.0.0.0');
    expect(loadConfig({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'p' }).server.host).toBe('0.0.0.0');
    const socket = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_APP_TOKEN: 'xapp-1' };
    expect(loadConfig(socket).server.host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).server.host).toBe('0.0.0.0');
    expect(() => loadConfig({ HOST: 'http://x/' })).toThrow(/HOST: must be an IP address or a host name/);
  });

  it('turns unauthenticated Teams on only for TEAMS_AUTH=none, on loopback, never with an app id', () => {
    expect(loadConfig({ TEAMS_AUTH: 'none' }).teams.mode).toBe('local');
    expect(loadConfig({ TEAMS_AUTH: 'none' }).server.host).toBe('127.0.0.1');
    expect(loadConfig({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'p' }).teams.mode).toBe('authenticated');
    expect(() => loadConfig({ TEAMS_AUTH: 'none', HOST: '0.0.0.0' })).toThrow(
      /HOST=0.0.0.0: TEAMS_AUTH=none .* listens on loopback only/,
    );
    expect(() => loadConfig({ TEAMS_AUTH: 'none', MicrosoftAppId: 'id', MicrosoftAppPassword: 'p' })).toThrow(
      /cannot be combined with MicrosoftAppId/,
    );
    expect(() => loadConfig({ TEAMS_AUTH: 'off' })).toThrow(/TEAMS_AUTH: the only value is 'none'/);
  });

  it('names the missing variable when Slack settings are inconsistent', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(
      /SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set/,
    );
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_BOT_TOKEN is required/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'abc', SLACK_SIGNING_SECRET: 's' })).toThrow(
      /must be a bot token starting with xoxb-/,
    );
  });

  it('rejects SingleTenant Teams without a tenant id, and a password without an app id', () => {
    expect(() =>
      loadConfig({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'p', MicrosoftAppType: 'SingleTenant' }),
    ).toThrow(/MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant/);
    expect(() => loadConfig({ MicrosoftAppPassword: 'p' })).toThrow(/MicrosoftAppId is required/);
  });

  it('lists every problem at once, naming each variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DIGEST_SOURCES: 'pubmed,arxiv', SLACK_API_URL: 'not a url' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).toMatch(/PORT:/);
      expect(message).toMatch(/SLACK_API_URL:/);
    }
    expect(() => loadConfig({ DIGEST_SOURCES: 'pubmed,arxiv' })).toThrow(/DIGEST_SOURCES: unknown source arxiv/);
  });

  it('treats empty strings as unset and normalises base URLs to end with a slash', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: '', SLACK_API_URL: 'http://127.0.0.1:9999/api', PLAYGROUND: 'off' });
    expect(config.slack).toBeUndefined();
    expect(config.playground).toBe(false);
    expect(loadConfig({ CTGOV_BASE_URL: 'http://127.0.0.1:1/v2' }).digest.ctgovBaseUrl).toBe('http://127.0.0.1:1/v2/');
  });
});

describe('loadConfig with .env.example copied as is', () => {
  it('accepts every empty value and applies the defaults', async () => {
    const { parse } = await import('dotenv');
    const { readFileSync } = await import('node:fs');
    const env = parse(readFileSync(new URL('../.env.example', import.meta.url)));
    const config = loadConfig(env);
    expect(config.slack).toBeUndefined();
    expect(config.slack === undefined && config.playground).toBe(true);
    expect(config.digest.ctgovBaseUrl).toBe('https://clinicaltrials.gov/api/v2/');
  });
});
