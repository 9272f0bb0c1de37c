/**
 * Secrets at rest (workspace tokens): AES-256-GCM from node:crypto, with keys from the environment.
 *
 * Each ciphertext names the key that sealed it, so keys can be rotated: the current key seals, older
 * keys only open, and `needsReseal` tells which stored values to seal again under the current key.
 * The additional authenticated data binds a ciphertext to the row it belongs to: a sealed token copied
 * onto another workspace's row does not open.
 *
 *   sealed form:  v1.<key id>.<12-byte IV, base64url>.<ciphertext + 16-byte tag, base64url>
 *   key setting:  <key id>:<32 random bytes, base64>     e.g. 2026-12:q0p…=   (openssl rand -base64 32)
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface SealingKey {
  readonly id: string;
  readonly key: Buffer;
}

/** A key setting that cannot be used; the message says what is wrong without echoing the key. */
export class SealingKeyError extends Error {
  override name = 'SealingKeyError';
}

/** A sealed value that does not open: wrong or missing key, altered bytes, or another row's value. */
export class UnsealError extends Error {
  override name = 'UnsealError';
}

/** Parses `<id>:<base64 of 32 bytes>`; `what` names the setting in the error. */
export function parseSealingKey(spec: string, what: string): SealingKey {
  const colon = spec.indexOf(':');
  const id = colon > 0 ? spec.slice(0, colon).trim() : '';
  if (!KEY_ID.test(id)) {
    throw new SealingKeyError(
      `${what} must be <key id>:<base64 key>, the id 1-32 letters, digits, - or _ (e.g. 2026-12:$(openssl rand -base64 32))`,
    );
  }
  const key = Buffer.from(spec.slice(colon + 1).trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new SealingKeyError(`${what}: key "${id}" must be ${KEY_BYTES} bytes in base64, got ${key.length} bytes`);
  }
  return { id, key };
}

export class SealedBox {
  private readonly keys: ReadonlyMap<string, Buffer>;

  /** `current` seals and opens; `older` keys only open what they sealed before a rotation. */
  constructor(
    private readonly current: SealingKey,
    older: readonly SealingKey[] = [],
  ) {
    const keys = new Map<string, Buffer>();
    for (const k of [current, ...older]) {
      if (keys.has(k.id)) throw new SealingKeyError(`two sealing keys have the id "${k.id}"`);
      keys.set(k.id, k.key);
    }
    this.keys = keys;
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.current.id, iv.toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string, associatedData: string): string {
    const [version, keyId, ivText, bodyText, ...rest] = sealed.split('.');
    if (version !== VERSION || !keyId || !ivText || !bodyText || rest.length > 0) {
      throw new UnsealError('not a sealed value of this format');
    }
    const key = this.keys.get(keyId);
    if (!key) throw new UnsealError(`sealed with key "${keyId}", which is not configured`);
    const iv = Buffer.from(ivText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new UnsealError('sealed value is truncated');
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new UnsealError(`sealed value does not open with key "${keyId}" (altered, or not this row's)`);
    }
  }

  /** The key id a sealed value names, without opening it. */
  static keyIdOf(sealed: string): string | undefined {
    const [version, keyId] = sealed.split('.');
    return version === VERSION ? keyId : undefined;
  }

  /** True when a value was sealed under an older key and should be sealed again under the current one. */
  needsReseal(sealed: string): boolean {
    return SealedBox.keyIdOf(sealed) !== this.current.id;
  }
}
