/**
 * The floor: what authenticating a sealed session costs at the very least on Node, i.e. one
 * Iron unseal and one RSA-2048 signature check written directly against node:crypto, with no
 * claim checks, no error mapping and the public key imported once. Nothing real can be this
 * thin, which is what makes it a useful yardstick.
 */
import { createDecipheriv, createHmac, createPublicKey, pbkdf2Sync, timingSafeEqual, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

/** Opens an iron-session style seal (`Fe26.2*id*salt*iv*data*exp*salt*mac~2`), 1 PBKDF2 iteration. */
export function floorUnseal(sealed: string, password: string): unknown {
  const seal = sealed.endsWith('~2') ? sealed.slice(0, -2) : sealed;
  const parts = seal.split('*');
  if (parts.length !== 8) throw new Error('not an Iron seal');
  const [, , encryptionSalt, iv, data, , hmacSalt, mac] = parts as [string, string, string, string, string, string, string, string];
  const macBase = parts.slice(0, 6).join('*');
  const macKey = pbkdf2Sync(password, hmacSalt, 1, 32, 'sha1');
  const expected = createHmac('sha256', macKey).update(macBase).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('bad seal');
  const key = pbkdf2Sync(password, encryptionSalt, 1, 32, 'sha1');
  const decipher = createDecipheriv('aes-256-cbc', key, Buffer.from(iv, 'base64url'));
  const plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
  return JSON.parse(plain.toString('utf8'));
}

/** RS256 signature check of a compact JWS with an already imported key. */
export function floorVerify(token: string, key: KeyObject): boolean {
  const dot = token.lastIndexOf('.');
  return verify('sha256', Buffer.from(token.slice(0, dot)), key, Buffer.from(token.slice(dot + 1), 'base64url'));
}

/** Unseal, then verify the access token inside: the floor of one authentication. */
export function floorAuthenticate(sealed: string, password: string, key: KeyObject): boolean {
  const payload = floorUnseal(sealed, password) as { accessToken: string };
  if (!floorVerify(payload.accessToken, key)) throw new Error('bad signature');
  return true;
}

/** The public key a token names, fetched once from a JWKS URL and imported with node:crypto. */
export async function fetchVerifyKey(jwksUrl: string, token: string): Promise<KeyObject> {
  const header = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString()) as { kid?: string };
  const body = (await (await fetch(jwksUrl)).json()) as { keys: ({ kid?: string } & Record<string, unknown>)[] };
  const jwk = body.keys.find((candidate) => candidate.kid === header.kid);
  if (!jwk) throw new Error(`no key ${header.kid} at ${jwksUrl}`);
  return createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
}
