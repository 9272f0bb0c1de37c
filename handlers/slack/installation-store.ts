/**
 * Bolt's InstallationStore on our store: each OAuth install (its bot token and what Slack said about
 * the workspace) is saved sealed under the workspace's installation key (identity.ts), fetched by Bolt's
 * authorize for every request from that workspace, and deleted on uninstall.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { SealedInstalls } from '../../src/installs/sealed-installs.ts';
import type { Logger } from '../../src/logger.ts';
import type { JsonObject } from '../../src/store/values.ts';
import { slackInstallationKey } from './identity.ts';

export interface InstalledHook {
  /** A workspace (team) finished installing: resume what its removal paused. */
  (teamId: string): Promise<void>;
}

export class SlackInstallationStore implements InstallationStore {
  constructor(
    private readonly installs: SealedInstalls,
    private readonly logger: Logger,
    private readonly installed: InstalledHook = async () => undefined,
  ) {}

  async storeInstallation(installation: Installation<'v1' | 'v2', boolean>): Promise<void> {
    const key = keyOf(installation.isEnterpriseInstall === true, installation.enterprise?.id, installation.team?.id);
    await this.installs.save(key, installation as unknown as JsonObject);
    this.logger.info({ installationKey: key }, 'Slack: app installed');
    if (installation.team?.id) await this.installed(installation.team.id);
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const key = keyOf(query.isEnterpriseInstall, query.enterpriseId, query.teamId);
    const found = await this.installs.load(key);
    if (!found) throw new Error(`Slack: no installation for ${key}`);
    return found as unknown as Installation<'v1' | 'v2', boolean>;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.installs.remove(keyOf(query.isEnterpriseInstall, query.enterpriseId, query.teamId));
  }
}

function keyOf(isEnterpriseInstall: boolean, enterpriseId: string | undefined, teamId: string | undefined): string {
  const id = isEnterpriseInstall ? enterpriseId : teamId;
  if (!id) throw new Error('Slack: an installation without a team or enterprise id');
  return slackInstallationKey(id);
}
