/**
 * The app's installs (a Slack workspace that installed it through OAuth): one row per opaque
 * installation key, holding what the surface needs to act there, sealed before it reaches the store
 * (see src/util/sealed-box.ts). The store never sees a token in the clear; `key_id` names the key that
 * sealed each row, so a key rotation can find the rows to seal again.
 */
import type { Executor } from './engine.ts';
import { invalid } from './errors.ts';
import { type Clock, checkKey } from './values.ts';

export interface StoredInstallation {
  readonly installationKey: string;
  /** The sealing key's id. */
  readonly keyId: string;
  readonly sealed: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface Row {
  installation_key: string;
  key_id: string;
  sealed: string;
  created_at: string;
  updated_at: string;
}

export class InstallationRepository {
  constructor(
    private readonly db: Executor,
    private readonly now: Clock,
  ) {}

  /** Creates or replaces an install (a reinstall brings new tokens); the first install's time is kept. */
  async save(installationKey: string, sealed: { keyId: string; sealed: string }): Promise<StoredInstallation> {
    const at = this.now().toISOString();
    const [row] = await this.db.all<Row>(
      `INSERT INTO installations (installation_key, key_id, sealed, created_at, updated_at)
       VALUES (@key, @keyId, @sealed, @at, @at)
       ON CONFLICT (installation_key) DO UPDATE SET
         key_id = excluded.key_id, sealed = excluded.sealed, updated_at = excluded.updated_at
       RETURNING *`,
      {
        key: checkKey(installationKey, 'installation key'),
        keyId: checkKey(sealed.keyId, 'sealing key id', 64),
        sealed: checkSealed(sealed.sealed),
        at,
      },
    );
    return toInstallation(row!);
  }

  async get(installationKey: string): Promise<StoredInstallation | undefined> {
    const [row] = await this.db.all<Row>('SELECT * FROM installations WHERE installation_key = @key', {
      key: installationKey,
    });
    return row && toInstallation(row);
  }

  /** Forgets an install and its tokens; false if there was none. */
  async delete(installationKey: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM installations WHERE installation_key = @key', { key: installationKey })) > 0;
  }

  /** Rows sealed under any key but `keyId`: what a rotation still has to seal again. */
  async sealedWithOtherKey(keyId: string): Promise<StoredInstallation[]> {
    const rows = await this.db.all<Row>(
      'SELECT * FROM installations WHERE key_id <> @keyId ORDER BY installation_key',
      { keyId },
    );
    return rows.map(toInstallation);
  }

  /**
   * Replaces a row's sealed value only if it still holds `expected`, so a reseal racing a reinstall
   * (or another replica's reseal) never overwrites newer tokens. True if it replaced it.
   */
  async replaceSealed(
    installationKey: string,
    expected: string,
    next: { keyId: string; sealed: string },
  ): Promise<boolean> {
    const changes = await this.db.run(
      `UPDATE installations SET key_id = @keyId, sealed = @sealed, updated_at = @at
       WHERE installation_key = @key AND sealed = @expected`,
      {
        key: installationKey,
        expected,
        keyId: checkKey(next.keyId, 'sealing key id', 64),
        sealed: checkSealed(next.sealed),
        at: this.now().toISOString(),
      },
    );
    return changes > 0;
  }
}

function checkSealed(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64_000) {
    throw invalid('a sealed installation must be a non-empty string of at most 64,000 characters');
  }
  return value;
}

function toInstallation(row: Row): StoredInstallation {
  return {
    installationKey: row.installation_key,
    keyId: row.key_id,
    sealed: row.sealed,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
