/**
 * The React Router cookie session encoding, checked against React Router's own
 * `createCookieSessionStorage`: each reads what the other writes, and a value that is not a
 * signed session of ours opens as nothing.
 */
import { createCookieSessionStorage } from 'react-router';
import { describe, expect, test } from 'vitest';
import { reactRouterCookieEncoding } from '../../../src/react-router/cookie.js';

const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
const OLD_PASSWORD = 'old-password-old-password-old-pa55';
const SEAL = `Fe26.2*1*${'a'.repeat(43)}*${'b'.repeat(22)}*${'c'.repeat(300)}**${'d'.repeat(43)}*${'e'.repeat(43)}~2`;

function storage(secrets: string[]) {
  return createCookieSessionStorage({ cookie: { name: 'wos-session', secrets, path: '/', httpOnly: true, sameSite: 'lax' } });
}

/** The value of the `Set-Cookie` React Router writes, as a browser would send it back. */
async function writtenByReactRouter(secrets: string[], data: Record<string, unknown>): Promise<string> {
  const store = storage(secrets);
  const session = await store.getSession();
  for (const [key, value] of Object.entries(data)) session.set(key, value);
  const header = await store.commitSession(session);
  return header.slice('wos-session='.length, header.indexOf(';'));
}

describe('reactRouterCookieEncoding', () => {
  test('writes what React Router reads, byte for byte', async () => {
    const encoded = reactRouterCookieEncoding([PASSWORD]).encode(SEAL);
    expect(encoded).toBe(await writtenByReactRouter([PASSWORD], { jwt: SEAL }));
    const session = await storage([PASSWORD]).getSession(`wos-session=${encoded}`);
    expect(session.get('jwt')).toBe(SEAL);
  });

  test('reads what React Router writes, percent-encoded or decoded', async () => {
    const value = await writtenByReactRouter([PASSWORD], { jwt: SEAL });
    const encoding = reactRouterCookieEncoding([PASSWORD]);
    expect(encoding.decode(decodeURIComponent(value))).toBe(SEAL);
  });

  test('rotation: signs with the first password, reads cookies signed with any', async () => {
    const old = decodeURIComponent(await writtenByReactRouter([OLD_PASSWORD], { jwt: SEAL }));
    const rotated = reactRouterCookieEncoding([PASSWORD, OLD_PASSWORD]);
    expect(rotated.decode(old)).toBe(SEAL);
    const fresh = rotated.encode(SEAL);
    expect((await storage([PASSWORD]).getSession(`wos-session=${fresh}`)).get('jwt')).toBe(SEAL);
    expect(reactRouterCookieEncoding([PASSWORD]).decode(old)).toBeUndefined();
  });

  test('keeps other session keys out of the way', async () => {
    const value = decodeURIComponent(await writtenByReactRouter([PASSWORD], { jwt: SEAL, theme: 'dark' }));
    expect(reactRouterCookieEncoding([PASSWORD]).decode(value)).toBe(SEAL);
  });

  test('refuses without a secret', () => {
    expect(() => reactRouterCookieEncoding([])).toThrow(TypeError);
  });

  describe('opens nothing that is not a signed session of ours', async () => {
    const good = decodeURIComponent(await writtenByReactRouter([PASSWORD], { jwt: SEAL }));
    const [payload = '', mac = ''] = [good.slice(0, good.lastIndexOf('.')), good.slice(good.lastIndexOf('.') + 1)];
    const flip = (text: string, at: number) => `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    const probes: Array<[string, string]> = [
      ['empty', ''],
      ['a raw seal', SEAL],
      ['no dot', payload],
      ['dot first', `.${mac}`],
      ['empty signature', `${payload}.`],
      ['signature cut short', `${payload}.${mac.slice(0, -4)}`],
      ['signature too long', `${payload}.${mac}AAAA`],
      ['signature flipped', `${payload}.${flip(mac, 3)}`],
      ['payload flipped', `${flip(payload, 10)}.${mac}`],
      ['payload extended', `${payload}AA.${mac}`],
      ['signed by another password', decodeURIComponent(await writtenByReactRouter([OLD_PASSWORD], { jwt: SEAL }))],
      ['signed, no jwt', decodeURIComponent(await writtenByReactRouter([PASSWORD], { theme: 'dark' }))],
      ['signed, jwt not a string', decodeURIComponent(await writtenByReactRouter([PASSWORD], { jwt: 42 }))],
      ['signed, jwt empty', decodeURIComponent(await writtenByReactRouter([PASSWORD], { jwt: '' }))],
      ['signed, jwt an object', decodeURIComponent(await writtenByReactRouter([PASSWORD], { jwt: { a: 1 } }))],
      ['many dots', `${payload}.${mac}.${mac}`],
      ['non-ASCII', `${payload}\u00ff.${mac}`],
      ['huge', `${'A'.repeat(60_000)}.${mac}`],
    ];
    test.each(probes)('%s', (_name, value) => {
      expect(reactRouterCookieEncoding([PASSWORD]).decode(value)).toBeUndefined();
    });
  });
});
