/** Bot Framework activities as Teams sends them, a connector stand-in, and locally signed tokens. */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ServiceClientCredentialsFactory } from 'botframework-connector';
import { type FakeServer, type Recorded, type Reply, startFake } from './fake-server.ts';

export const BOT_ID = '28:her2-bot';
export const CHANNEL_CONVERSATION = '19:abcdef0123456789@thread.tacv2;messageid=1700000000000';

/** The Bot Framework connector (the activity's serviceUrl): every POST/PUT under /v3/conversations answers { id }. */
export interface FakeConnector extends FakeServer {
  serviceUrl: string;
  sent(): Recorded[];
  failNext(reply: Reply | 'hang', times?: number): void;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  let failures: { reply: Reply | 'hang'; times: number } | undefined;
  const fake = await startFake();
  let n = 0;
  fake.handle((req) => {
    if (failures && failures.times > 0 && /\/v3\/conversations/.test(req.path)) {
      failures.times -= 1;
      return failures.reply;
    }
    n += 1;
    return { body: { id: `reply-${n}` } };
  });
  return Object.assign(fake, {
    serviceUrl: `${fake.url}/amer/`,
    sent: () => fake.requests.filter((r) => /\/v3\/conversations/.test(decodeURIComponent(r.path))),
    failNext: (reply: Reply | 'hang', times = 1) => {
      failures = { reply, times };
    },
  });
}

export function messageActivity(
  serviceUrl: string,
  text: string,
  options: {
    conversationType?: 'personal' | 'channel' | 'groupChat';
    conversationId?: string;
    mention?: boolean;
    value?: unknown;
    replyToId?: string;
  } = {},
): Record<string, unknown> {
  const conversationType = options.conversationType ?? 'channel';
  const mention = options.mention ?? conversationType !== 'personal';
  return {
    type: 'message',
    id: `1700000000${Math.floor(Math.random() * 1000)}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:user-1', name: 'Dr A', aadObjectId: 'aad-1' },
    conversation: {
      id:
        options.conversationId ??
        (conversationType === 'personal'
          ? 'a:personal-1'
          : conversationType === 'groupChat'
            ? '19:group@thread.v2'
            : CHANNEL_CONVERSATION),
      conversationType,
      tenantId: 'tenant-1',
      isGroup: conversationType !== 'personal',
    },
    recipient: { id: BOT_ID, name: 'HER2 Bot' },
    text: mention ? `<at>HER2 Bot</at>&nbsp;${text}` : text,
    textFormat: 'plain',
    entities: mention
      ? [{ type: 'mention', text: '<at>HER2 Bot</at>', mentioned: { id: BOT_ID, name: 'HER2 Bot' } }]
      : [],
    channelData: { tenant: { id: 'tenant-1' } },
    ...(options.value !== undefined ? { value: options.value } : {}),
    ...(options.replyToId ? { replyToId: options.replyToId } : {}),
  };
}

export function invokeActivity(serviceUrl: string, name: string, value: unknown): Record<string, unknown> {
  return {
    type: 'invoke',
    name,
    id: 'invoke-1',
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:user-1', name: 'Dr A' },
    conversation: { id: 'a:personal-1', conversationType: 'personal', tenantId: 'tenant-1' },
    recipient: { id: BOT_ID, name: 'HER2 Bot' },
    value,
  };
}

export function installActivity(serviceUrl: string): Record<string, unknown> {
  return {
    type: 'installationUpdate',
    action: 'add',
    id: 'install-1',
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:user-1' },
    conversation: { id: CHANNEL_CONVERSATION.split(';')[0], conversationType: 'channel', tenantId: 'tenant-1' },
    recipient: { id: BOT_ID, name: 'HER2 Bot' },
  };
}

/** A local OpenID configuration and JWKS, and RS256 tokens signed with its key (platforms.md §3.6). */
export interface LocalIdentity {
  server: FakeServer;
  authSettings: Record<string, string>;
  token(claims: Record<string, unknown>, options?: { kid?: string }): string;
}

export async function startLocalIdentity(): Promise<LocalIdentity> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = (publicKey as KeyObject).export({ format: 'jwk' }) as { n: string; e: string };
  const server = await startFake();
  server.handle((req) => {
    if (req.path.startsWith('/openid'))
      return {
        body: {
          issuer: 'https://api.botframework.com',
          jwks_uri: `${server.url}/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        },
      };
    if (req.path.startsWith('/keys'))
      return { body: { keys: [{ kty: 'RSA', use: 'sig', kid: 'k1', n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] } };
    return { status: 404, body: {} };
  });
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return {
    server,
    // Setting any endpoint means setting them all (platforms.md §3.6): the public-cloud values, with a local metadata URL.
    authSettings: {
      ToBotFromChannelOpenIdMetadataUrl: `${server.url}/openid`,
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      ToBotFromEmulatorOpenIdMetadataUrl: `${server.url}/openid`,
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      OAuthUrl: 'https://api.botframework.com',
      CallerId: 'urn:botframework:azure',
      ValidateAuthority: 'true',
    },
    token(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const header = { alg: 'RS256', typ: 'JWT', kid: options.kid ?? 'k1' };
      const body = { iss: 'https://api.botframework.com', nbf: now - 60, exp: now + 600, ...claims };
      const input = `${b64(header)}.${b64(body)}`;
      const signature = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
      return `${input}.${signature}`;
    },
  };
}

/** Outbound credentials that never call Microsoft: every connector request carries a fixed bearer. */
export class LocalCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(private readonly appId: string) {
    super();
  }
  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId;
  }
  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }
  async createCredentials() {
    return {
      signRequest: async <T extends { headers: { set(name: string, value: string): void } }>(request: T) => {
        request.headers.set('authorization', 'Bearer fake-outbound');
        return request;
      },
    };
  }
}
