import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

export interface TestSigner {
  kid: string;
  jwks: { keys: Record<string, unknown>[] };
  sign(payload: JWTPayload, header?: Record<string, unknown>): Promise<string>;
}

/** An RSA-2048 key pair that signs access tokens the way WorkOS does (RS256, kid in the header). */
export async function createSigner(kid = 'test-key-1'): Promise<TestSigner> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    jwks: { keys: [jwk] },
    sign: (payload, header = {}) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT', ...header }).sign(privateKey),
  };
}

/** A `fetch` that serves a JWKS from memory and counts calls; `down` makes it fail like a dead host. */
export function jwksFetch(jwks: () => unknown) {
  const state = { calls: 0, down: false };
  const fetchFn: typeof fetch = async () => {
    state.calls++;
    if (state.down) throw new TypeError('fetch failed');
    return new Response(JSON.stringify(jwks()), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fetchFn, state };
}
