/**
 * Conversation keys are opaque outside handlers/: each surface builds and reads its own, and the
 * digest finds a channel's poster by asking each registered surface whether the key is its own.
 */
import { describe, expect, it } from 'vitest';
import { SlackDigestPoster } from '../handlers/slack/digest-poster.ts';
import { slackChannelOf, slackConversationKey } from '../handlers/slack/identity.ts';
import { TeamsDigestPoster } from '../handlers/teams/digest-poster.ts';
import { teamsConversationKey, teamsConversationOf, teamsKeyParts, tenantOf } from '../handlers/teams/identity.ts';
import { ConversationReferences } from '../handlers/teams/references.ts';
import type { TeamsSurface } from '../handlers/teams/surface.ts';
import { Core } from '../src/core.ts';
import { DigestPosters } from '../src/digest/posting.ts';
import { silentLogger } from '../src/logger.ts';
import { RecordingPoster } from './helpers/digest-literature.ts';

describe('each surface spells its own conversation keys', () => {
  it('Slack: workspace and channel, read back to the channel id', () => {
    const key = slackConversationKey('T0001', 'C0001');
    expect(key).toBe('slack:T0001:C0001');
    expect(slackChannelOf(key)).toBe('C0001');
    expect(slackChannelOf('teams:19:abc@thread.tacv2')).toBeUndefined();
  });

  it('Teams: the conversation id without its thread suffix, read back to the channel', () => {
    const key = teamsConversationKey('19:abc@thread.tacv2;messageid=1700000000000');
    expect(key).toBe('teams:19:abc@thread.tacv2');
    expect(teamsConversationKey('19:abc@thread.tacv2')).toBe(key);
    expect(teamsConversationOf(key)).toBe('19:abc@thread.tacv2');
    expect(teamsConversationOf('slack:T0001:C0001')).toBeUndefined();
  });

  it('Teams: with the tenant, read back to tenant and conversation; an unusable tenant id is left out', () => {
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const key = teamsConversationKey('19:abc@thread.tacv2;messageid=1', tenant);
    expect(key).toBe(`teams:t:${tenant}:19:abc@thread.tacv2`);
    expect(teamsKeyParts(key)).toEqual({ tenantId: tenant, conversationId: '19:abc@thread.tacv2' });
    expect(teamsKeyParts('teams:19:abc@thread.tacv2')).toEqual({
      tenantId: undefined,
      conversationId: '19:abc@thread.tacv2',
    });
    expect(teamsKeyParts('teams:t:only-a-tenant')).toBeUndefined();
    expect(tenantOf({ conversation: { tenantId: tenant } as never })).toBe(tenant);
    expect(tenantOf({ channelData: { tenant: { id: tenant } } })).toBe(tenant);
    expect(tenantOf({ conversation: { tenantId: 'a:b' } as never })).toBeUndefined();
  });
});

describe('the digest poster registry', () => {
  it('gives each key to the surface that owns it, and nothing for a surface not configured here', async () => {
    const core = await Core.open({ logger: silentLogger });
    const slack = new SlackDigestPoster({} as never, core, silentLogger);
    const teams = new TeamsDigestPoster({} as TeamsSurface, { get: () => undefined }, core);
    const posters = new DigestPosters().register(slack).register(teams);
    expect(posters.forKey('slack:T0001:C0001')).toBe(slack);
    expect(posters.forKey('teams:19:abc@thread.tacv2')).toBe(teams);
    expect(posters.forKey('matrix:!room')).toBeUndefined();
    expect(new DigestPosters().register(slack).forKey('teams:19:abc@thread.tacv2')).toBeUndefined();
  });

  it('asks in registration order', () => {
    const first = new RecordingPoster('slack:');
    const everything = new RecordingPoster();
    const posters = new DigestPosters().register(first).register(everything);
    expect(posters.forKey('slack:T1:C1')).toBe(first);
    expect(posters.forKey('teams:19:x')).toBe(everything);
  });
});

describe('Teams conversation references', () => {
  it('are written under the Teams key, once per change of what the digest posts with', async () => {
    const rows = new Map<string, object>();
    const saves: string[] = [];
    // An async store, as a database engine behind a network would be.
    const references = new ConversationReferences({
      async save(key, reference) {
        saves.push(key);
        rows.set(key, reference);
      },
      async get(key) {
        const reference = rows.get(key);
        return reference && { reference };
      },
    });
    const reference = (activityId: string, serviceUrl = 'https://smba.example/emea/') => ({
      activityId,
      serviceUrl,
      conversation: { id: `19:abc@thread.tacv2;messageid=${activityId}` },
      bot: { id: '28:bot' },
    });
    await references.remember(teamsConversationKey('19:abc@thread.tacv2;messageid=1'), reference('1'));
    await references.remember(teamsConversationKey('19:abc@thread.tacv2;messageid=2'), reference('2'));
    expect(saves).toEqual(['teams:19:abc@thread.tacv2']);
    await references.remember(
      teamsConversationKey('19:abc@thread.tacv2'),
      reference('3', 'https://smba.example/amer/'),
    );
    expect(saves).toHaveLength(2);
    expect(await references.reference('teams:19:abc@thread.tacv2')).toMatchObject({
      serviceUrl: 'https://smba.example/amer/',
    });
    expect(await references.reference('teams:19:other@thread.tacv2')).toBeUndefined();
  });
});
