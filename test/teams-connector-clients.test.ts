import { type Activity, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  BotFrameworkAuthentication,
  ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
} from 'botframework-connector';
import { describe, expect, it } from 'vitest';
import { ReusedConnectorClients } from '../handlers/teams/connector-clients.ts';

const activity = (serviceUrl: string) =>
  ({
    type: 'message',
    serviceUrl,
    channelId: 'msteams',
    conversation: { id: 'a:1' },
    from: { id: '29:u' },
    recipient: { id: '28:bot' },
  }) as Activity;

async function clientFor(auth: BotFrameworkAuthentication, serviceUrl: string): Promise<ConnectorClient> {
  const result = await auth.authenticateRequest(activity(serviceUrl), '');
  return result.connectorFactory!.create(serviceUrl, result.audience);
}

describe('Teams connector clients are kept across turns', () => {
  it('turns to the same service URL get the same client; another URL gets its own', async () => {
    const auth = new ReusedConnectorClients(new ConfigurationBotFrameworkAuthentication({}));
    const first = await clientFor(auth, 'http://127.0.0.1:1/amer/');
    const second = await clientFor(auth, 'http://127.0.0.1:1/amer/');
    const elsewhere = await clientFor(auth, 'http://127.0.0.1:1/emea/');
    expect(second).toBe(first);
    expect(elsewhere).not.toBe(first);
    expect((elsewhere as unknown as { baseUri: string }).baseUri).toBe('http://127.0.0.1:1/emea/');
  });

  it('a proactive turn (createConnectorFactory) uses the client the inbound turns use', async () => {
    const auth = new ReusedConnectorClients(new ConfigurationBotFrameworkAuthentication({}));
    const inbound = await auth.authenticateRequest(activity('http://127.0.0.1:1/amer/'), '');
    const client = await inbound.connectorFactory!.create('http://127.0.0.1:1/amer/', inbound.audience);
    const proactive = await auth
      .createConnectorFactory(inbound.claimsIdentity)
      .create('http://127.0.0.1:1/amer/', inbound.audience);
    expect(proactive).toBe(client);
  });

  it('a client that could not be made is not kept: the next turn tries again', async () => {
    let attempts = 0;
    const made = { baseUri: 'made' } as unknown as ConnectorClient;
    class Flaky extends ConnectorFactory {
      create(): Promise<ConnectorClient> {
        attempts++;
        return attempts === 1 ? Promise.reject(new Error('credentials unavailable')) : Promise.resolve(made);
      }
    }
    const identity = new ClaimsIdentity([{ type: 'appid', value: 'bot-app' }], true);
    class FlakyAuth extends BotFrameworkAuthentication {
      async authenticateRequest(): Promise<AuthenticateRequestResult> {
        return { claimsIdentity: identity, connectorFactory: new Flaky(), audience: 'aud', callerId: '' };
      }
      authenticateStreamingRequest = this.authenticateRequest;
      createConnectorFactory = () => new Flaky();
      createUserTokenClient = () => Promise.reject(new Error('unused'));
    }
    const auth = new ReusedConnectorClients(new FlakyAuth());
    await expect(clientFor(auth, 'http://127.0.0.1:1/amer/')).rejects.toThrow('credentials unavailable');
    expect(await clientFor(auth, 'http://127.0.0.1:1/amer/')).toBe(made);
    expect(await clientFor(auth, 'http://127.0.0.1:1/amer/')).toBe(made);
    expect(attempts).toBe(2);
  });
});
