/**
 * The RS256 check on node:crypto (raw RSA, then the whole PKCS#1 v1.5 encoding compared)
 * against Wycheproof's RSA-2048/SHA-256 vectors, and against `crypto.verify` on tokens we sign.
 */
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { verifyRs256 } from '../../../src/jwt/rs256-node.js';
import vectors from '../../fixtures/vectors/wycheproof/rsa_signature_2048_sha256_test.json' with { type: 'json' };

const hex = (text: string) => Buffer.from(text, 'hex');

describe('Wycheproof rsa_signature_2048_sha256', () => {
  const cases = vectors.testGroups.flatMap((group) => {
    const key = createPublicKey({ key: group.publicKeyPem, format: 'pem' });
    return group.tests.map((t) => ({ ...t, key, modulusBytes: group.keySize / 8 }));
  });

  test('the vector file is the one expected', () => {
    expect(cases).toHaveLength(vectors.numberOfTests);
    expect(cases.filter((c) => c.result === 'valid').length).toBeGreaterThan(5);
    expect(cases.filter((c) => c.result === 'invalid').length).toBeGreaterThan(200);
  });

  test.each(cases.map((c) => [c.tcId, c.comment || c.flags.join(','), c] as const))('tcId %i %s', (_id, _comment, c) => {
    const accepted = verifyRs256(nodeCrypto, { key: c.key, modulusBytes: c.modulusBytes }, hex(c.msg), hex(c.sig));
    if (c.result === 'valid') expect(accepted).toBe(true);
    else if (c.result === 'invalid') expect(accepted).toBe(false);
    // 'acceptable': either answer is allowed, but it must be OpenSSL's.
    else expect(accepted).toBe(verify('sha256', hex(c.msg), c.key, hex(c.sig)));
  });
});

describe('agrees with crypto.verify', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsa = { key: publicKey, modulusBytes: 256 };

  test('on signing inputs, signed or tampered, as strings and as bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 300 }), fc.nat(255), fc.integer({ min: 1, max: 255 }), (input, at, flip) => {
        const signature = sign('sha256', Buffer.from(input), privateKey);
        expect(verifyRs256(nodeCrypto, rsa, input, signature)).toBe(true);
        expect(verifyRs256(nodeCrypto, rsa, Buffer.from(input), signature)).toBe(true);
        const tampered = Buffer.from(signature);
        tampered[at] = tampered[at]! ^ flip;
        expect(verifyRs256(nodeCrypto, rsa, input, tampered)).toBe(false);
        expect(verifyRs256(nodeCrypto, rsa, `${input}.`, signature)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  test('a signature of the wrong length, or one not below the modulus, is refused', () => {
    const signature = sign('sha256', Buffer.from('a.b'), privateKey);
    expect(verifyRs256(nodeCrypto, rsa, 'a.b', signature.subarray(1))).toBe(false);
    expect(verifyRs256(nodeCrypto, rsa, 'a.b', Buffer.concat([Buffer.alloc(1), signature]))).toBe(false);
    expect(verifyRs256(nodeCrypto, rsa, 'a.b', Buffer.alloc(256, 0xff))).toBe(false);
    expect(verifyRs256(nodeCrypto, rsa, 'a.b', Buffer.alloc(256))).toBe(false);
  });

  test('a key of another size gets its own encoding', () => {
    const big = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const signature = sign('sha256', Buffer.from('a.b'), big.privateKey);
    expect(verifyRs256(nodeCrypto, { key: big.publicKey, modulusBytes: 384 }, 'a.b', signature)).toBe(true);
    expect(verifyRs256(nodeCrypto, rsa, 'a.b', sign('sha256', Buffer.from('a.b'), privateKey))).toBe(true);
  });
});
