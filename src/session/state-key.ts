import { base64url } from 'jose';
import { createKeyring, type Keyring, type PasswordEntry, type PasswordInput } from '../seal/index.js';

const INFO = new TextEncoder().encode('sealed-session/sign-in-state/v1');

async function derive(secret: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: INFO }, key, 256);
  return base64url.encode(new Uint8Array(bits));
}

/**
 * A keyring for sign-in state (PKCE verifier, return path) derived with HKDF from the cookie
 * passwords: a separate key, so a state value (which travels through the browser on every
 * sign-in) can never be replayed as a session cookie, and rotation follows the session's.
 * Passwords that only open (`openOnly`) never sealed a state, so no state key comes from them.
 */
export async function deriveStateKeyring(password: PasswordInput): Promise<Keyring> {
  const list: readonly PasswordEntry[] = Array.isArray(password) ? password : [password as PasswordEntry];
  // The cookie keyring's ids, so that each state key is named like the password it comes from.
  const { ids, openOnlyIds } = createKeyring(password);
  const sealing = list
    .map((entry, index) => ({ id: ids[index] as string, secret: typeof entry === 'string' ? entry : entry.secret }))
    .filter(({ id }) => !openOnlyIds.includes(id));
  const derived = await Promise.all(sealing.map(async ({ id, secret }) => ({ id, secret: await derive(secret) })));
  return createKeyring(derived);
}
