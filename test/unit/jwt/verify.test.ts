import { beforeAll, describe, expect, test } from 'vitest';
import { base64url } from 'jose';
import { JwksCache } from '../../../src/jwt/jwks.js';
import { AccessTokenVerifier } from '../../../src/jwt/verify.js';
import { JwksUnavailableError, JwtExpiredError, JwtInvalidError } from '../../../src/jwt/errors.js';
import { disableNodeCrypto } from '../../../src/crypto/runtime.js';
import { createSigner, jwksFetch, type TestSigner } from '../../support/tokens.js';

const ISSUER = 'https://api.workos.com/user_management/client_123';
const NOW = 1_800_000_000;

let signer: TestSigner;
let other: TestSigner;
beforeAll(async () => {
  signer = await createSigner('k1');
  other = await createSigner('k1');
});

const claims = (extra: Record<string, unknown> = {}) => ({
  iss: ISSUER, sub: 'user_1', sid: 'session_1', iat: NOW - 10, exp: NOW + 300, org_id: 'org_1', ...extra,
});

function setup(options: { audience?: string; requireAudience?: boolean; now?: number } = {}) {
  const served = jwksFetch(() => signer.jwks);
  let now = (options.now ?? NOW) * 1000;
  const jwks = new JwksCache({ url: 'https://api.workos.com/sso/jwks/client_123', fetch: served.fetch, now: () => now });
  const verifier = new AccessTokenVerifier({
    jwks,
    issuers: [ISSUER],
    audience: options.audience ?? 'client_123',
    requireAudience: options.requireAudience ?? false,
    clockToleranceSec: 5,
    now: () => now,
  });
  return { verifier, served, jwks, setNow: (sec: number) => (now = sec * 1000) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

for (const backend of ['node', 'webcrypto'] as const) {
  describe(`access token verification (${backend})`, () => {
    beforeAll(() => disableNodeCrypto(backend === 'webcrypto'));

    test('accepts a valid token and returns its claims', async () => {
      const { verifier } = setup();
      const result = await verifier.verify(await signer.sign(claims({ aud: 'client_123' })));
      expect(result).toMatchObject({ sub: 'user_1', sid: 'session_1', org_id: 'org_1' });
    });

    test('expired token: JwtExpiredError with the verified claims', async () => {
      const { verifier } = setup();
      const error = await rejection(verifier.verify(await signer.sign(claims({ exp: NOW - 60 }))));
      expect(error).toBeInstanceOf(JwtExpiredError);
      expect((error as JwtExpiredError).claims.sid).toBe('session_1');
    });

    test('expiry within the clock tolerance is accepted; ignoreExpiry accepts any expiry', async () => {
      const { verifier } = setup();
      await expect(verifier.verify(await signer.sign(claims({ exp: NOW - 3 })))).resolves.toBeTruthy();
      await expect(verifier.verify(await signer.sign(claims({ exp: NOW - 3600 })), { ignoreExpiry: true })).resolves.toBeTruthy();
    });

    const invalid: Array<[string, () => Promise<string>, string]> = [
      ['wrong issuer', () => signer.sign(claims({ iss: 'https://evil.example' })), 'jwt_bad_issuer'],
      ['issuer prefix trick', () => signer.sign(claims({ iss: `${ISSUER}/../x` })), 'jwt_bad_issuer'],
      ['wrong audience', () => signer.sign(claims({ aud: 'client_other' })), 'jwt_bad_audience'],
      ['no exp', () => signer.sign(claims({ exp: undefined })), 'jwt_missing_claim'],
      ['no iat', () => signer.sign(claims({ iat: undefined })), 'jwt_missing_claim'],
      ['no sid', () => signer.sign(claims({ sid: undefined })), 'jwt_missing_claim'],
      ['no sub', () => signer.sign(claims({ sub: undefined })), 'jwt_missing_claim'],
      ['string exp', () => signer.sign(claims({ exp: String(NOW + 100) })), 'jwt_bad_claim'],
      ['permissions not a list', () => signer.sign(claims({ permissions: 'admin' })), 'jwt_bad_claim'],
      ['issued in the future', () => signer.sign(claims({ iat: NOW + 600 })), 'jwt_not_yet_valid'],
      ['not valid yet', () => signer.sign(claims({ nbf: NOW + 600 })), 'jwt_not_yet_valid'],
      ['signed by another key with the same kid', () => other.sign(claims()), 'jwt_bad_signature'],
      ['unknown kid', () => signer.sign(claims(), { kid: 'k-unknown' }), 'jwt_unknown_key'],
      ['alg none', async () => `${base64url.encode('{"alg":"none","kid":"k1"}')}.${base64url.encode(JSON.stringify(claims()))}.AA`, 'jwt_bad_algorithm'],
      ['alg HS256 with the public key', async () => `${base64url.encode('{"alg":"HS256","kid":"k1"}')}.${base64url.encode(JSON.stringify(claims()))}.AAAA`, 'jwt_bad_algorithm'],
      ['crit header', async () => `${base64url.encode('{"alg":"RS256","kid":"k1","crit":["exp"]}')}.${base64url.encode(JSON.stringify(claims()))}.AAAA`, 'jwt_malformed'],
      ['payload tampered', async () => {
        const [h, , s] = (await signer.sign(claims())).split('.');
        return `${h}.${base64url.encode(JSON.stringify(claims({ org_id: 'org_evil' })))}.${s}`;
      }, 'jwt_bad_signature'],
      ['whitespace inside', async () => ` ${await signer.sign(claims())}`, 'jwt_malformed'],
      ['two parts', async () => 'abc.def', 'jwt_malformed'],
      ['payload not JSON', async () => `${base64url.encode('{"alg":"RS256"}')}.${base64url.encode('nope')}.AAAA`, 'jwt_malformed'],
    ];
    for (const [name, make, code] of invalid) {
      test(`rejects: ${name} (${code})`, async () => {
        const { verifier } = setup();
        const error = await rejection(verifier.verify(await make()));
        expect(error).toBeInstanceOf(JwtInvalidError);
        expect((error as JwtInvalidError).code).toBe(code);
      });
    }

    test('an expired token with a bad signature is invalid, not expired', async () => {
      const { verifier } = setup();
      const error = await rejection(verifier.verify(await other.sign(claims({ exp: NOW - 600 }))));
      expect((error as JwtInvalidError).code).toBe('jwt_bad_signature');
    });

    test('audience is required when configured', async () => {
      const { verifier } = setup({ audience: 'client_123', requireAudience: true });
      expect(((await rejection(verifier.verify(await signer.sign(claims())))) as JwtInvalidError).code).toBe('jwt_missing_claim');
      await expect(verifier.verify(await signer.sign(claims({ aud: ['x', 'client_123'] })))).resolves.toBeTruthy();
    });

    test('non-string input never throws anything but JwtInvalidError', async () => {
      const { verifier } = setup();
      for (const input of [undefined, null, 42, {}, '', 'a'.repeat(100_000)]) {
        expect(await rejection(verifier.verify(input))).toBeInstanceOf(JwtInvalidError);
      }
    });
  });
}

describe('JWKS cache', () => {
  beforeAll(() => disableNodeCrypto(false));

  test('JWKS down with a cold cache: JwksUnavailableError (retryable), not an invalid token', async () => {
    const { verifier, served } = setup();
    served.state.down = true;
    expect(await rejection(verifier.verify(await signer.sign(claims())))).toBeInstanceOf(JwksUnavailableError);
  });

  test('JWKS down with a warm cache: tokens keep verifying', async () => {
    const { verifier, served, setNow } = setup();
    await verifier.verify(await signer.sign(claims()));
    served.state.down = true;
    setNow(NOW + 3600); // keys are stale now; a background refresh fails
    await expect(verifier.verify(await signer.sign(claims({ iat: NOW + 3590, exp: NOW + 4000 })))).resolves.toBeTruthy();
  });

  test('unknown kid refetches at most once per cooldown', async () => {
    const { verifier, served, setNow } = setup();
    await verifier.verify(await signer.sign(claims()));
    setNow(NOW + 11); // past the 10 s cooldown since the first fetch
    const before = served.state.calls;
    for (let i = 0; i < 5; i++) {
      await rejection(verifier.verify(await signer.sign(claims(), { kid: `random-${i}` })));
    }
    expect(served.state.calls - before).toBe(1);
  });

  test('a rotated key is picked up through the unknown-kid refetch', async () => {
    const next = await createSigner('k2');
    let keys = signer.jwks.keys;
    const served = jwksFetch(() => ({ keys }));
    const jwks = new JwksCache({ url: 'https://x/jwks', fetch: served.fetch, now: () => NOW * 1000, cooldownMs: 0 });
    const verifier = new AccessTokenVerifier({ jwks, issuers: [ISSUER], audience: 'c', requireAudience: false, clockToleranceSec: 5, now: () => NOW * 1000 });
    await verifier.verify(await signer.sign(claims()));
    keys = [...keys, ...next.jwks.keys];
    await expect(verifier.verify(await next.sign(claims()))).resolves.toBeTruthy();
  });

  test('keys that cannot sign RS256 are ignored', async () => {
    const weak = { ...signer.jwks.keys[0], e: 'Aw' };
    const wrongUse = { ...signer.jwks.keys[0], use: 'enc' };
    const good = { ...other.jwks.keys[0], kid: 'k2' };
    const served = jwksFetch(() => ({ keys: [weak, wrongUse, good] }));
    const jwks = new JwksCache({ url: 'https://x/jwks', fetch: served.fetch });
    expect(await rejection(jwks.getKey('k1'))).toMatchObject({ code: 'jwt_unknown_key' });
    await expect(jwks.getKey('k2')).resolves.toBeTruthy();
  });

  test('a key set with no usable key is a failed fetch, not a reason to refuse tokens', async () => {
    const weak = { ...signer.jwks.keys[0], e: 'Aw' };
    const served = jwksFetch(() => ({ keys: [weak] }));
    const jwks = new JwksCache({ url: 'https://x/jwks', fetch: served.fetch });
    expect(await rejection(jwks.getKey('k1'))).toBeInstanceOf(JwksUnavailableError);
  });
});
