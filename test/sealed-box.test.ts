/** Tokens at rest: AES-256-GCM sealing, bound to its row, with key ids for rotation. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSealingKey, SealedBox, SealingKeyError, UnsealError } from '../src/util/sealed-box.ts';

const keySpec = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const k1 = parseSealingKey(keySpec('k1'), 'TEST_KEY');
const k2 = parseSealingKey(keySpec('k2'), 'TEST_KEY');

describe('SealedBox', () => {
  it('opens what it sealed, and the sealed text shows neither the token nor a fixed pattern', () => {
    const box = new SealedBox(k1);
    const a = box.seal('xoxb-secret-token', 'slack:T1');
    const b = box.seal('xoxb-secret-token', 'slack:T1');
    expect(a).not.toContain('xoxb');
    expect(a).not.toBe(b); // a fresh IV every time
    expect(a.startsWith('v1.k1.')).toBe(true);
    expect(box.open(a, 'slack:T1')).toBe('xoxb-secret-token');
    expect(box.open(b, 'slack:T1')).toBe('xoxb-secret-token');
  });

  it("refuses another row's ciphertext (the associated data binds it to its key)", () => {
    const box = new SealedBox(k1);
    const sealed = box.seal('xoxb-T1', 'slack:T1');
    expect(() => box.open(sealed, 'slack:T2')).toThrow(UnsealError);
  });

  it('refuses a ciphertext with one byte changed', () => {
    const box = new SealedBox(k1);
    const sealed = box.seal('xoxb-T1', 'slack:T1');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0]! ^= 1;
    parts[3] = body.toString('base64url');
    expect(() => box.open(parts.join('.'), 'slack:T1')).toThrow(/does not open/);
    expect(() => box.open('v1.k1.short', 'slack:T1')).toThrow(UnsealError);
  });

  it('rotates: the new key seals, the old one still opens, and needsReseal points at what the old one sealed', () => {
    const before = new SealedBox(k1);
    const old = before.seal('xoxb-T1', 'slack:T1');
    const after = new SealedBox(k2, [k1]);
    expect(after.currentKeyId).toBe('k2');
    expect(after.open(old, 'slack:T1')).toBe('xoxb-T1');
    expect(after.needsReseal(old)).toBe(true);
    const fresh = after.seal('xoxb-T1', 'slack:T1');
    expect(SealedBox.keyIdOf(fresh)).toBe('k2');
    expect(after.needsReseal(fresh)).toBe(false);
    // Once the old key is dropped, what it sealed no longer opens, and the error names the key.
    expect(() => new SealedBox(k2).open(old, 'slack:T1')).toThrow('sealed with key "k1", which is not configured');
  });

  it('parses <id>:<base64 32 bytes> and names the setting, never the key, when it is wrong', () => {
    expect(parseSealingKey(keySpec('2026-12'), 'X').id).toBe('2026-12');
    const short = `k1:${randomBytes(16).toString('base64')}`;
    expect(() => parseSealingKey(short, 'SLACK_TOKEN_ENCRYPTION_KEY')).toThrow(
      'SLACK_TOKEN_ENCRYPTION_KEY: key "k1" must be 32 bytes in base64, got 16 bytes',
    );
    expect(() => parseSealingKey(randomBytes(32).toString('base64'), 'SLACK_TOKEN_ENCRYPTION_KEY')).toThrow(
      SealingKeyError,
    );
    try {
      parseSealingKey(short, 'X');
    } catch (err) {
      expect((err as Error).message).not.toContain(short.slice(3));
    }
    expect(() => new SealedBox(k1, [k1])).toThrow(/two sealing keys have the id "k1"/);
  });
});
