/**
 * A Web API client for the workspace a channel key names: one bot token for every channel
 * (SLACK_BOT_TOKEN), or each workspace's own token from its OAuth install.
 */
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { SealedInstalls } from '../../src/installs/sealed-installs.ts';
import { LruCache } from '../../src/util/lru.ts';
import { slackInstallationKey, slackTeamOf } from './identity.ts';

/** The client for a channel key's workspace, or undefined when that workspace has no install. */
export type SlackClients = (channelKey: string) => Promise<WebClient | undefined>;

export function singleWorkspaceClient(client: WebClient): SlackClients {
  return async () => client;
}

export function installedWorkspaceClients(installs: SealedInstalls, options: WebClientOptions): SlackClients {
  // One client per token: a reinstall brings a new token, and with it a new client.
  const clients = new LruCache<string, WebClient>(1000);
  return async (channelKey) => {
    const team = slackTeamOf(channelKey);
    if (!team) return undefined;
    const installation = (await installs.load(slackInstallationKey(team))) as { bot?: { token?: string } } | undefined;
    const token = installation?.bot?.token;
    if (!token) return undefined;
    let client = clients.get(token);
    if (!client) {
      client = new WebClient(token, options);
      clients.set(token, client);
    }
    return client;
  };
}
