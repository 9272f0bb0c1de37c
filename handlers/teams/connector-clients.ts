/**
 * One Bot Framework connector client per bot, service URL and audience, kept for the process's life.
 * CloudAdapter asks its authentication for a new ConnectorFactory on every turn, and that factory
 * builds a new ConnectorClient (credentials, an HTTP pipeline of a dozen policies) on every call: about
 * 40 µs and a few kilobytes of garbage per message, for a client that holds no per-turn state (the
 * older BotFrameworkAdapter likewise kept one set of credentials for the whole process). The
 * credentials inside a client fetch and refresh their own tokens, so a kept client signs every
 * request as a new one would.
 */
import type { Activity } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  BotFrameworkAuthentication,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  JwtTokenValidation,
  type UserTokenClient,
} from 'botframework-connector';
import { LruCache } from '../../src/util/lru.ts';

/** Service URLs come from activities (a few per region); the bound keeps odd ones from growing it. */
const MAX_CLIENTS = 256;

export class ReusedConnectorClients extends BotFrameworkAuthentication {
  private readonly clients = new LruCache<string, Promise<ConnectorClient>>(MAX_CLIENTS);

  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.withReusedClients(await this.inner.authenticateRequest(activity, authHeader));
  }

  override async authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    return this.withReusedClients(await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reusing(this.inner.createConnectorFactory(claimsIdentity), claimsIdentity);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  private withReusedClients(result: AuthenticateRequestResult): AuthenticateRequestResult {
    if (!result.connectorFactory) return result;
    return { ...result, connectorFactory: this.reusing(result.connectorFactory, result.claimsIdentity) };
  }

  /** A factory that hands out the kept client for its bot, service URL and audience. */
  private reusing(factory: ConnectorFactory, claimsIdentity: ClaimsIdentity): ConnectorFactory {
    // The factory's own inputs besides these (login endpoint, credentials factory) are this
    // authentication's settings, the same for every turn.
    const appId = JwtTokenValidation.getAppIdFromClaims(claimsIdentity.claims) ?? '';
    return new KeptClients(factory, appId, this.clients);
  }
}

class KeptClients extends ConnectorFactory {
  constructor(
    private readonly factory: ConnectorFactory,
    private readonly appId: string,
    private readonly clients: LruCache<string, Promise<ConnectorClient>>,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const key = `${this.appId}\n${serviceUrl}\n${audience ?? ''}`;
    const kept = this.clients.get(key);
    if (kept) return kept;
    const created = this.factory.create(serviceUrl, audience);
    this.clients.set(key, created);
    // A client that could not be made (e.g. its credentials failed) is not kept.
    created.catch(() => {
      if (this.clients.get(key) === created) this.clients.delete(key);
    });
    return created;
  }
}
