import { loadPrimitives, type RsaPublicKey } from '../crypto/primitives.js';

/** A public key ready to verify RS256 signatures on this runtime. */
export type VerifyKey = RsaPublicKey;

const MIN_MODULUS_BITS = 2048;

/**
 * Whether a JWK may sign access tokens: RSA, for signatures, RS256 or unspecified. Keys for
 * other uses in the same set are skipped, never tried (RFC 8725 §3.1: one key, one algorithm).
 */
export function isUsableRsaSigningKey(jwk: Record<string, unknown>): boolean {
  if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') return false;
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  if (jwk.alg !== undefined && jwk.alg !== 'RS256') return false;
  if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('verify')) return false;
  return 'd' in jwk === false;
}

/**
 * Imports the public half of a usable RSA JWK (see {@link isUsableRsaSigningKey}) with the active
 * crypto backend. Returns `undefined` for a key too weak to trust (modulus under 2048 bits,
 * exponent other than 65537); rejects when the JWK is not a valid key.
 */
export async function importRsaKey(jwk: Record<string, unknown>): Promise<VerifyKey | undefined> {
  if (jwk.e !== 'AQAB') return undefined;
  const key = await (await loadPrimitives()).importRsaPublicJwk({ n: jwk.n as string, e: jwk.e });
  return key.modulusBits >= MIN_MODULUS_BITS ? key : undefined;
}
