/**
 * Installs with their secrets sealed: what a surface saves (a JSON object holding tokens) is sealed
 * with the current key before the store sees it, bound to its installation key, and opened on the way
 * back. After a key rotation, `resealAll` seals every row still under an older key with the current one.
 */
import type { Logger } from '../logger.ts';
import type { InstallationRepository } from '../store/installations.ts';
import type { JsonObject } from '../store/values.ts';
import type { SealedBox } from '../util/sealed-box.ts';

export class SealedInstalls {
  constructor(
    private readonly repository: InstallationRepository,
    private readonly box: SealedBox,
  ) {}

  async save(installationKey: string, value: JsonObject): Promise<void> {
    const sealed = this.box.seal(JSON.stringify(value), installationKey);
    await this.repository.save(installationKey, { keyId: this.box.currentKeyId, sealed });
  }

  /** The saved object, or undefined if nothing is installed under the key; throws UnsealError if it does not open. */
  async load(installationKey: string): Promise<JsonObject | undefined> {
    const stored = await this.repository.get(installationKey);
    if (!stored) return undefined;
    return JSON.parse(this.box.open(stored.sealed, installationKey)) as JsonObject;
  }

  /** Deletes the install and its tokens; false if there was none. */
  remove(installationKey: string): Promise<boolean> {
    return this.repository.delete(installationKey);
  }

  /**
   * Seals again, under the current key, every install still sealed under an older one. Rows that do
   * not open (their key is gone) are counted and left as they are, for the operator to see.
   */
  async resealAll(logger: Logger): Promise<{ resealed: number; unreadable: number }> {
    let resealed = 0;
    let unreadable = 0;
    for (const row of await this.repository.sealedWithOtherKey(this.box.currentKeyId)) {
      let plaintext: string;
      try {
        plaintext = this.box.open(row.sealed, row.installationKey);
      } catch (err) {
        unreadable += 1;
        logger.error(
          { installationKey: row.installationKey, keyId: row.keyId, reason: (err as Error).message },
          'installs: a stored install does not open with the configured keys; it needs reinstalling',
        );
        continue;
      }
      const next = { keyId: this.box.currentKeyId, sealed: this.box.seal(plaintext, row.installationKey) };
      if (await this.repository.replaceSealed(row.installationKey, row.sealed, next)) resealed += 1;
    }
    return { resealed, unreadable };
  }
}
