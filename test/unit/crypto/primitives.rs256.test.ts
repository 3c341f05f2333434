/**
 * RS256 verification on both backends: Wycheproof's RSA-2048/SHA-256 vectors, agreement with
 * `crypto.verify` on signatures we make (signed, tampered, wrong length, other key sizes), and
 * keys that belong to the other backend.
 */
import { createPublicKey, generateKeyPairSync, sign, verify, type JsonWebKey } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadPrimitives, type CryptoPrimitives, type RsaPublicJwk, type RsaPublicKey } from '../../../src/crypto/primitives.js';
import vectors from '../../fixtures/vectors/wycheproof/rsa_signature_2048_sha256_test.json' with { type: 'json' };
import { backends, useBackend } from '../../support/crypto-backends.js';

const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));
const jwkOf = (key: ReturnType<typeof createPublicKey>): RsaPublicJwk => {
  const { n, e } = key.export({ format: 'jwk' }) as JsonWebKey;
  return { n: n!, e: e! };
};

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const big = generateKeyPairSync('rsa', { modulusLength: 3072 });

describe.each(backends)('RS256 on the %s backend', (backend) => {
  let p: CryptoPrimitives;
  let key: RsaPublicKey;
  let groups: { key: RsaPublicKey; tests: (typeof vectors.testGroups)[number]['tests'] }[];
  beforeAll(async () => {
    await useBackend(backend);
    p = await loadPrimitives();
    key = await p.importRsaPublicJwk(jwkOf(publicKey));
    groups = await Promise.all(vectors.testGroups.map(async (group) => ({ key: await p.importRsaPublicJwk(group.keyJwk), tests: group.tests })));
  });

  test('Wycheproof rsa_signature_2048_sha256: every vector, and the answer OpenSSL gives to the acceptable one', async () => {
    const answers: Record<string, number> = {};
    for (const [index, group] of groups.entries()) {
      expect(group.key.modulusBits).toBe(2048);
      const pem = createPublicKey({ key: vectors.testGroups[index]!.publicKeyPem, format: 'pem' });
      for (const t of group.tests) {
        const accepted = await p.verifyRs256(group.key, hex(t.msg), hex(t.sig));
        if (p.sync) expect(p.sync.verifyRs256(group.key, hex(t.msg), hex(t.sig))).toBe(accepted);
        const expected = t.result === 'valid' ? true : t.result === 'invalid' ? false : verify('sha256', hex(t.msg), pem, hex(t.sig));
        expect(accepted, `tcId ${t.tcId} ${t.comment}`).toBe(expected);
        answers[t.result] = (answers[t.result] ?? 0) + 1;
      }
    }
    expect(answers).toEqual({ valid: 9, invalid: 249, acceptable: 1 });
  });

  test('agrees with crypto.verify on signing inputs, signed or tampered, as strings and as bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.nat(255), fc.integer({ min: 1, max: 255 }), async (input, at, flip) => {
        const signature = Uint8Array.from(sign('sha256', Buffer.from(input), privateKey));
        expect(await p.verifyRs256(key, input, signature)).toBe(true);
        expect(await p.verifyRs256(key, Buffer.from(input), signature)).toBe(true);
        const tampered = Uint8Array.from(signature);
        tampered[at] = tampered[at]! ^ flip;
        expect(await p.verifyRs256(key, input, tampered)).toBe(false);
        expect(await p.verifyRs256(key, `${input}.`, signature)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  test('a signature of the wrong length, or one not below the modulus, is refused', async () => {
    const signature = Uint8Array.from(sign('sha256', Buffer.from('a.b'), privateKey));
    const wrong = [
      new Uint8Array(0),
      signature.subarray(1),
      Uint8Array.from([0, ...signature]),
      Uint8Array.from([...signature, 0]),
      new Uint8Array(256).fill(0xff),
      new Uint8Array(256),
      new Uint8Array(4096).fill(1),
    ];
    for (const bad of wrong) {
      expect(await p.verifyRs256(key, 'a.b', bad), `${bad.length} bytes`).toBe(false);
      if (p.sync) expect(p.sync.verifyRs256(key, 'a.b', bad)).toBe(false);
    }
  });

  test('a key of another size verifies its own signatures only', async () => {
    const large = await p.importRsaPublicJwk(jwkOf(big.publicKey));
    expect(large.modulusBits).toBe(3072);
    const signature = Uint8Array.from(sign('sha256', Buffer.from('a.b'), big.privateKey));
    expect(await p.verifyRs256(large, 'a.b', signature)).toBe(true);
    expect(await p.verifyRs256(key, 'a.b', signature)).toBe(false);
  });

  test('a JWK that is no RSA key is refused at import or imports too small to trust', async () => {
    for (const jwk of [{ n: '', e: 'AQAB' }, { n: '!!!', e: 'AQAB' }, { n: 'AQAB', e: 'AQAB' }]) {
      const imported = await p.importRsaPublicJwk(jwk).catch(() => undefined);
      expect(imported?.modulusBits ?? 0, JSON.stringify(jwk)).toBeLessThan(2048);
    }
  });
});

test('a key imported by one backend verifies nothing on the other', async () => {
  const signature = Uint8Array.from(sign('sha256', Buffer.from('a.b'), privateKey));
  const keys: Record<string, RsaPublicKey> = {};
  for (const backend of backends) {
    await useBackend(backend);
    keys[backend] = await (await loadPrimitives()).importRsaPublicJwk(jwkOf(publicKey));
  }
  for (const backend of backends) {
    await useBackend(backend);
    const p = await loadPrimitives();
    expect(await p.verifyRs256(keys[backend]!, 'a.b', signature)).toBe(true);
    expect(await p.verifyRs256(keys[backend === 'node' ? 'webcrypto' : 'node']!, 'a.b', signature)).toBe(false);
  }
});
