/**
 * The contract every registered seal format keeps, run for each codec in the registry on both
 * crypto backends: a new codec gets these tests by being registered.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import type { CodecKey, CodecTime, SealCodec } from '../../../src/seal/codec.js';
import { codecs, detectFormat, sealFormats } from '../../../src/seal/codecs.js';
import { createKeyring, sealData, unsealWithDetails } from '../../../src/seal/index.js';
import { SealError, type SealErrorCode } from '../../../src/errors/index.js';
import { backends, sealErrorOf, useBackend } from './helpers.js';

const registered = [...codecs.values()];
const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const at = (nowMs: number, ttlSec = 0): CodecTime => ({ nowMs, ttlSec });
const bytes = (text: string) => new TextEncoder().encode(text);

function keyFor(codec: SealCodec, id: string): CodecKey {
  const key = codec.keyOf(codec.encodeKey(randomBytes(codec.keyBytes)));
  if (key === undefined) throw new Error(`${codec.format} refuses its own generated key`);
  return { id, key };
}

/** The code `promise` rejects with; fails when it resolves or throws anything but a SealError. */
async function codeOf(promise: Promise<unknown>): Promise<SealErrorCode> {
  return (await sealErrorOf(promise)).code;
}

/** `text` with the character at `index` replaced by another, of the same alphabet where it can be. */
function flip(text: string, index: number): string {
  const char = text[index]!;
  const other = char === 'A' ? 'B' : /[0-9a-f]/.test(char) ? (char === '0' ? '1' : '0') : 'A';
  return text.slice(0, index) + other + text.slice(index + 1);
}

test('the registry: one codec per format, described for messages, with disjoint shapes', () => {
  expect(registered.map((codec) => codec.format)).toEqual(sealFormats);
  expect(new Set(sealFormats).size).toBe(sealFormats.length);
  for (const codec of registered) {
    expect(codecs.get(codec.format)).toBe(codec);
    for (const text of [codec.name, codec.noun, codec.writtenBy, codec.keyShape, codec.keyHelp]) expect(text).not.toBe('');
    expect(['camelCase', 'snake_case']).toContain(codec.payloadKeys);
    expect(codec.keyBytes).toBeGreaterThanOrEqual(32);
  }
});

test.each(['', ' ', 'Fe26', 'Fe26.1*1*', 'gAAAA', 'fe26.2*', 'GAAAAA', 'null', '{"a":1}', 'wos-session=abc', '\u0000'.repeat(8)])(
  'no codec claims %j',
  (junk) => {
    for (const codec of registered) expect(codec.detect(junk)).toBe(false);
    expect(detectFormat(junk)).toBeUndefined();
  },
);

describe.each(backends)('on the %s backend', (backend) => {
  beforeAll(() => useBackend(backend));

  describe.each(registered.map((codec) => [codec.format, codec] as const))('%s', (format, codec) => {
    const key = keyFor(codec, 'a');
    const other = keyFor(codec, 'b');

    test('recognises its own seals, and only its own', async () => {
      const sealed = await codec.seal(key, bytes('{"a":1}'), at(NOW));
      expect(codec.detect(sealed)).toBe(true);
      expect(detectFormat(sealed)).toBe(format);
      for (const rival of registered) if (rival !== codec) expect(rival.detect(sealed)).toBe(false);
    });

    test.each([0, 1, 15, 16, 17, 1000])('opens what it sealed (%i bytes), naming the key', async (size) => {
      const plaintext = randomBytes(size);
      const sealed = await codec.seal(other, plaintext, at(NOW));
      const opened = await codec.unseal([key, other], sealed, at(NOW));
      expect(opened.plaintext).toEqual(new Uint8Array(plaintext));
      expect(opened.passwordId).toBe('b');
    });

    test('seals differently every time', async () => {
      const seals = new Set<string>();
      for (let i = 0; i < 8; i++) seals.add(await codec.seal(key, bytes('same'), at(NOW)));
      expect(seals.size).toBe(8);
    });

    test('refuses a seal made with a key it lacks, and opens nothing without keys', async () => {
      const sealed = await codec.seal(key, bytes('{}'), at(NOW));
      expect(['seal_bad_mac', 'seal_unknown_password']).toContain(await codeOf(codec.unseal([other], sealed, at(NOW))));
      expect(await codeOf(codec.unseal([], sealed, at(NOW)))).toBe('seal_unknown_password');
    });

    test('every one-character change and every truncation is refused with a SealError, or opens the same bytes', async () => {
      const plaintext = bytes('{"user":"u_1"}');
      const sealed = await codec.seal(key, plaintext, at(NOW));
      const variants = new Set<string>();
      for (let index = 0; index < sealed.length; index++) {
        variants.add(flip(sealed, index));
        variants.add(sealed.slice(0, index));
      }
      variants.delete(sealed);
      expect(variants.size).toBeGreaterThanOrEqual(sealed.length * 2 - 1);
      const accepted: string[] = [];
      for (const variant of variants) {
        const outcome = await codec.unseal([key], variant, at(NOW)).catch((error: unknown) => error);
        if (outcome instanceof SealError) continue;
        expect(outcome, variant).toMatchObject({ plaintext, passwordId: 'a' });
        accepted.push(variant);
      }
      // At most one other spelling of the same seal: Iron's optional `~2` suffix.
      expect(accepted.length).toBeLessThanOrEqual(1);
    });

    test('a seal without an expiry of its own opens at every later time', async () => {
      const sealed = await codec.seal(key, bytes('{}'), at(NOW));
      const opened = await codec.unseal([key], sealed, at(NOW));
      expect(opened.expiresAtMs).toBeUndefined();
      for (const later of [1_000, 86_400_000, 10 * 365 * 86_400_000]) {
        expect((await codec.unseal([key], sealed, at(NOW + later))).expiresAtMs).toBeUndefined();
      }
    });

    test('a ttl is written as the seal’s expiry by codecs that write one, and enforced', async () => {
      const sealed = await codec.seal(key, bytes('{}'), at(NOW, 60));
      const opened = await codec.unseal([key], sealed, at(NOW));
      if (!codec.writesExpiry) {
        expect(opened.expiresAtMs).toBeUndefined();
        return;
      }
      expect(opened.expiresAtMs).toBe(NOW + 60_000);
      expect(await codeOf(codec.unseal([key], sealed, at(NOW + 3_600_000)))).toBe('seal_expired');
    });

    test('a recorded creation time is when it was sealed', async () => {
      const sealed = await codec.seal(key, bytes('{}'), at(NOW + 999));
      const { sealedAtMs } = await codec.unseal([key], sealed, at(NOW + 999));
      if (sealedAtMs !== undefined) expect(sealedAtMs).toBe(NOW);
    });

    test.runIf(backend === 'node')('settles without waiting on the crypto when the backend is synchronous', async () => {
      const sealed = await codec.seal(key, bytes('{}'), at(NOW));
      const settled: string[] = [];
      void codec.seal(key, bytes('{}'), at(NOW)).then(() => settled.push('seal'));
      void codec.unseal([key], sealed, at(NOW)).then(() => settled.push('unseal'));
      await null;
      expect(settled).toEqual(['seal', 'unseal']);
    });

    test('a generated key declared for the format seals and opens it through the public API', async () => {
      const secret = codec.encodeKey(randomBytes(codec.keyBytes));
      const keyring = createKeyring([{ id: 'new', format, secret }, { id: 'old', format, secret: codec.encodeKey(randomBytes(codec.keyBytes)) }]);
      expect(keyring.newestId(format)).toBe('new');
      const data = { user: { id: 'u_1', name: 'Adà ✓' }, n: [1, 2, 3] };
      const sealed = await sealData(data, { password: keyring, format });
      expect(detectFormat(sealed)).toBe(format);
      expect(await unsealWithDetails(sealed, { password: keyring })).toMatchObject({ data, format, passwordId: 'new', isNewest: true });
      const old = await sealData(data, { password: keyring, format, passwordId: 'old' });
      expect(await unsealWithDetails(old, { password: keyring })).toMatchObject({ data, passwordId: 'old', isNewest: false });
    });
  });
});
