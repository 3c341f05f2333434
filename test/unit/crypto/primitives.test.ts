/**
 * The crypto primitives on both backends against published known answers, against each other
 * and against `node:crypto` called directly.
 */
import { createCipheriv, createDecipheriv, pbkdf2Sync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeBase64url } from '../../../src/crypto/base64url.js';
import { hexEncode, utf8Encode } from '../../../src/crypto/bytes.js';
import { loadPrimitives } from '../../../src/crypto/primitives.js';
import { backends, useBackend } from '../../support/crypto-backends.js';

const hex = (text: string) => Uint8Array.from(text.match(/../g)!.map((h) => parseInt(h, 16)));

describe.each(backends)('primitives on the %s backend', (backend) => {
  test('PBKDF2-HMAC-SHA1 (RFC 6070 cases 1 and 2; 32 bytes is two blocks, truncated)', async () => {
    await useBackend(backend);
    const p = await loadPrimitives();
    const password = utf8Encode('password');
    expect(hexEncode(await p.pbkdf2Sha1(password, 'salt', 1, 20))).toBe('0c60c80f961f0e71f3a9b524af6012062fe037a6');
    expect(hexEncode(await p.pbkdf2Sha1(password, 'salt', 2, 20))).toBe('ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957');
    expect(hexEncode(await p.pbkdf2Sha1(password, 'salt', 1, 32))).toBe(pbkdf2Sync('password', 'salt', 1, 32, 'sha1').toString('hex'));
  });

  test('PBKDF2-HMAC-SHA1 matches node:crypto for any password, salt and length', async () => {
    await useBackend(backend);
    const p = await loadPrimitives();
    // Passwords around the 64-byte block (longer ones are hashed first), salts around the
    // inner message's block boundaries, non-ASCII included.
    const cases = fc.sample(fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 150 }), fc.integer({ min: 1, max: 100 })), 200);
    for (const [password, salt, length] of cases) {
      const expected = pbkdf2Sync(password, Buffer.from(salt, 'utf8'), 1, length, 'sha1').toString('hex');
      expect(hexEncode(await p.pbkdf2Sha1(password, salt, 1, length))).toBe(expected);
      if (p.sync) expect(hexEncode(p.sync.pbkdf2Sha1(password, salt, 1, length))).toBe(expected);
    }
  });

  test('HMAC-SHA256 (RFC 4231 case 2)', async () => {
    await useBackend(backend);
    const p = await loadPrimitives();
    const mac = await p.hmacSha256(utf8Encode('Jefe'), utf8Encode('what do ya want for nothing?'));
    expect(hexEncode(mac)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  test.each([
    // NIST SP 800-38A F.2.1 (AES-128-CBC) and F.2.5 (AES-256-CBC), first block.
    ['2b7e151628aed2a6abf7158809cf4f3c', '7649abac8119b246cee98e9b12e9197d'],
    ['603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4', 'f58c4c04d6e5f1ba779eabfb5f7bfbd6'],
  ])('AES-CBC known answer and round trip (key %s)', async (key, firstBlock) => {
    await useBackend(backend);
    const p = await loadPrimitives();
    const iv = hex('000102030405060708090a0b0c0d0e0f');
    const plaintext = hex('6bc1bee22e409f96e93d7e117393172a');
    const ciphertext = await p.aesCbcEncrypt(hex(key), iv, plaintext);
    expect(hexEncode(ciphertext.subarray(0, 16))).toBe(firstBlock);
    expect(ciphertext).toHaveLength(32); // PKCS#7 adds a full block
    expect(await p.aesCbcDecrypt(hex(key), iv, ciphertext)).toEqual(plaintext);
    const broken = Uint8Array.from(ciphertext);
    broken[31] = broken[31]! ^ 0xff;
    expect(await p.aesCbcDecrypt(hex(key), iv, broken)).toBeUndefined();
  });

  test('random bytes and constant-time equality', async () => {
    await useBackend(backend);
    const p = await loadPrimitives();
    const a = p.randomBytes(32);
    expect(a).toHaveLength(32);
    expect(p.timingSafeEqual(a, Uint8Array.from(a))).toBe(true);
    expect(p.timingSafeEqual(a, p.randomBytes(32))).toBe(false);
    expect(p.timingSafeEqual(a, a.subarray(1))).toBe(false);
  });
});

test('AES-CBC decryption (of bytes or base64url text) refuses exactly the padding OpenSSL refuses, on both backends', async () => {
  const key = new Uint8Array(32).fill(7);
  const iv = new Uint8Array(16).fill(9);
  const openssl = (ciphertext: Uint8Array): Uint8Array | undefined => {
    try {
      const decipher = createDecipheriv('aes-256-cbc', key, iv);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      return undefined;
    }
  };
  const results: Record<string, (Uint8Array | undefined)[]> = {};
  const samples: Uint8Array[] = [];
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 64 }), fc.nat(17), fc.nat(255), (body, count, filler) => {
      // A last block ending in `count` bytes of `count`, or one of them off by `filler`.
      const block = Uint8Array.from(body.subarray(0, body.length - (body.length % 16)));
      for (let i = 0; i < Math.min(count, block.length); i++) block[block.length - 1 - i] = count;
      if (filler % 3 === 0 && count > 1) block[block.length - 1 - (filler % count)] = filler;
      const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
      samples.push(Uint8Array.from(cipher.update(block)));
    }),
    { numRuns: 300 },
  );
  for (const backend of backends) {
    await useBackend(backend);
    const p = await loadPrimitives();
    results[backend] = [];
    const block = encodeBase64url(samples[0]!.subarray(0, 16));
    for (const bad of ['', 'QUJD', `${block}A`, `${block}AAAA`, `${block.slice(0, -2)}!!`, `${block.slice(0, -4)}!!!!`]) {
      expect(await p.aesCbcDecrypt(key, iv, bad), bad).toBeUndefined();
    }
    for (const sample of samples) {
      const fromBytes = await p.aesCbcDecrypt(key, iv, sample);
      // Base64url text (what Iron hands over) decrypts to the same answer.
      expect(await p.aesCbcDecrypt(key, iv, encodeBase64url(sample))).toEqual(fromBytes);
      results[backend].push(fromBytes);
    }
  }
  const expected = samples.map(openssl);
  for (const backend of backends) {
    expect(results[backend]!.map((r) => r && Buffer.from(r).toString('hex'))).toEqual(expected.map((r) => r && Buffer.from(r).toString('hex')));
  }
  expect(expected.some((r) => r === undefined)).toBe(true);
  expect(expected.some((r) => r !== undefined)).toBe(true);
});
