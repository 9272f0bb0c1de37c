/**
 * manifest.yml against the code: every command, event and action the Slack handlers register is in
 * the manifest and nothing else is; the scopes are the ones those features need; and, where
 * ../shared/schemas is present, the file validates against Slack's official manifest schema.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXPORT_ACTION_ID } from '../handlers/slack/actions/export.ts';
import { SLACK_BOT_SCOPES } from '../handlers/slack/app.ts';
import { listenersOf } from '../handlers/slack/index.ts';
import { UNFURL_DOMAINS } from '../src/answer/links.ts';
import { Core } from '../src/core.ts';
import { silentLogger } from '../src/logger.ts';
import { slackManifestValidator } from './helpers/schemas.ts';
import { describeShared } from './helpers/shared.ts';

interface Manifest {
  features: {
    slash_commands: { command: string; url: string }[];
    unfurl_domains: string[];
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] }; redirect_urls: string[] };
  settings: {
    event_subscriptions: { bot_events: string[] };
    interactivity: { is_enabled: boolean };
    socket_mode_enabled: boolean;
  };
}

const core = await Core.open();
const manifest = parse(readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8')) as Manifest;

/** What the handlers register. */
function registrations() {
  const { commands, events, actions, views } = listenersOf({ core, logger: silentLogger }).registered;
  return {
    commands,
    events: events.filter((e) => e !== 'message'),
    messages: events.includes('message') ? 1 : 0,
    actions,
    views,
  };
}

/** The scopes each registered feature needs (Slack's documentation per event and method). */
const SCOPES_FOR: Record<string, string[]> = {
  command: ['commands'],
  app_mention: ['app_mentions:read', 'chat:write'],
  'message.im': ['im:history', 'chat:write'],
  link_shared: ['links:read', 'links:write'],
  app_home_opened: [],
  app_uninstalled: [],
  tokens_revoked: [],
  share: ['chat:write'],
  /** conversations.open with the presser, files.uploadV2 (getUploadURLExternal, completeUploadExternal) there. */
  export: ['im:write', 'files:write'],
};

describe('manifest.yml matches the code', () => {
  const seen = registrations();
  const codeEvents = [...seen.events, ...(seen.messages > 0 ? ['message.im'] : [])].sort();

  it('declares exactly the slash commands the code registers', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(seen.commands);
  });

  it('subscribes to exactly the events the code handles', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(codeEvents);
  });

  it('enables interactivity because buttons and modals are registered, and the Home and Messages tabs', () => {
    expect(seen.actions.length).toBeGreaterThan(0);
    expect(seen.views.length).toBeGreaterThan(0);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
  });

  it('unfurls exactly the domains the unfurl handler recognises', () => {
    expect([...manifest.features.unfurl_domains].sort()).toEqual([...UNFURL_DOMAINS].sort());
  });

  it('asks for the scopes those features need and no more', () => {
    const needed = new Set([
      ...SCOPES_FOR.command!,
      ...codeEvents.flatMap((e) => SCOPES_FOR[e] ?? [`unknown event ${e}`]),
      ...SCOPES_FOR.share!,
      ...(seen.actions.includes(String(EXPORT_ACTION_ID)) ? SCOPES_FOR.export! : []),
    ]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it('asks an OAuth install for exactly those scopes, and sends it back to /slack/oauth_redirect', () => {
    expect([...SLACK_BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
    expect(manifest.oauth_config.redirect_urls).toEqual(['https://her2bot.example.org/slack/oauth_redirect']);
  });

  it('points every request URL at /slack/events in HTTP mode', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.features.slash_commands[0]?.url).toMatch(/\/slack\/events$/);
  });
});

describeShared('manifest.yml against Slack’s official manifest schema', () => {
  it('validates', () => {
    const validate = slackManifestValidator();
    const ok = validate(manifest);
    expect(ok ? [] : validate.errors).toEqual([]);
  });

  it('the schema rejects an unknown key (so the check has teeth)', () => {
    const validate = slackManifestValidator();
    expect(validate({ ...manifest, settings: { ...manifest.settings, socket_mode: true } })).toBe(false);
  });
});
