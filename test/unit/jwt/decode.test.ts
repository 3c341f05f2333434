/**
 * How access tokens are read before their signature is checked, through the verifier on both
 * crypto backends: stray unused bits in a segment's last character are read as JWS readers
 * read them, and every other spelling is malformed.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { JwtInvalidError } from '../../../src/jwt/errors.js';
import { JwksCache } from '../../../src/jwt/jwks.js';
import { AccessTokenVerifier } from '../../../src/jwt/verify.js';
import { createSigner, jwksFetch, type TestSigner } from '../../support/tokens.js';
import { backends, useBackend } from '../../support/crypto-backends.js';

const ISSUER = 'https://api.workos.com/user_management/client_123';
const NOW = 1_800_000_000;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

let signer: TestSigner;
beforeAll(async () => {
  signer = await createSigner('k1');
});

function verifier(): AccessTokenVerifier {
  const jwks = new JwksCache({ url: 'https://api.workos.com/sso/jwks/client_123', fetch: jwksFetch(() => signer.jwks).fetch, now: () => NOW * 1000 });
  return new AccessTokenVerifier({ jwks, issuers: [ISSUER], audience: 'client_123', requireAudience: false, clockToleranceSec: 5, now: () => NOW * 1000, cacheSize: 0 });
}

/** `token` with the unused bits of its signature's last character set to `bits`. */
function withStrayBits(token: string, bits: number): string {
  const signature = token.slice(token.lastIndexOf('.') + 1);
  const unused = signature.length % 4 === 2 ? 0x0f : 0x03;
  const last = ALPHABET.indexOf(signature.at(-1)!);
  return token.slice(0, -1) + ALPHABET[(last & ~unused) | (bits & unused)]!;
}

/** `segment` lengthened to a length no base64 text can have (one character past whole groups). */
const dangling = (segment: string) => segment + 'A'.repeat((5 - (segment.length % 4)) % 4 || 4);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(JwtInvalidError);
    return (error as JwtInvalidError).code;
  }
  return 'accepted';
}

describe.each(backends)('access token segments (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  test('stray bits at the end of the signature read as the same signature', async () => {
    const token = await signer.sign({ iss: ISSUER, sub: 'user_1', sid: 'session_1', iat: NOW - 10, exp: NOW + 300 });
    const v = verifier();
    for (let bits = 0; bits < 16; bits++) {
      expect((await v.verify(withStrayBits(token, bits))).sid).toBe('session_1');
    }
  });

  test('any other spelling of a segment is malformed', async () => {
    const token = await signer.sign({ iss: ISSUER, sub: 'user_1', sid: 'session_1', iat: NOW - 10, exp: NOW + 300 });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const variants = [
      `${header}.${payload}.${dangling(signature)}`,
      `${header}.${payload}.${signature}=`,
      `${header}.${payload}.${signature.slice(0, -1)}+`,
      `${header}.${payload}.${signature.slice(0, -1)}/`,
      `${header}.${payload}.${signature.slice(0, 100)} ${signature.slice(100)}`,
      `${dangling(header)}.${payload}.${signature}`,
      `${header}.${dangling(payload)}.${signature}`,
      `${header}.${payload.slice(0, -1)}=.${signature}`,
    ];
    const v = verifier();
    for (const variant of variants) expect(await codeOf(v.verify(variant)), variant.slice(-12)).toBe('jwt_malformed');
  });
});
