/**
 * A service that shares its cookie with a workos-python app (Fernet) and a @workos-inc/node app
 * (Iron), with one keyring holding both apps' secrets: a cookie it refreshes must stay readable
 * by the app that wrote it, whatever the order of the keyring and the declarations in it.
 * Python's side is `cryptography`'s Fernet called as workos-python calls it (workos-python
 * itself is not installed); the Node side is @workos-inc/node.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WorkOS } from '@workos-inc/node';
import { SessionManager, type PasswordInput, type SessionManagerOptions } from '../../../src/index.js';
import { startEmulator } from '../../../demo/emulator.js';
import { signInCode } from '../../support/signin.js';
import { python, pythonReady } from '../../support/python-fernet.js';

// What `sealed-session keygen` prints: 32 random bytes in base64url, which also decode as a
// Fernet key. The Python app's key comes from `Fernet.generate_key()` (padded).
const IRON = 'uiSEf83cE6weUOkjcsaPt6VmmwQSla3XiL-9G9UDWVI';
const FERNET = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
const NEW_FERNET = 'IZFWa_UaobewEzc5RPqMul5aCVunFIruLiiadyCcizk=';

const fernet = { format: 'fernet', secret: FERNET } as const;
const iron = { format: 'iron', secret: IRON } as const;

/** Every order and declaration of the two secrets that the docs allow. */
const declared: Array<[string, PasswordInput]> = [
  ['[iron, fernet declared]', [IRON, fernet]],
  ['[fernet declared, iron]', [fernet, IRON]],
  ['[iron declared, fernet]', [iron, FERNET]],
  ['[fernet, iron declared]', [FERNET, iron]],
  ['[iron declared, fernet declared]', [iron, fernet]],
  ['[fernet declared, iron declared]', [fernet, iron]],
];
/** Lists without declarations: the Fernet side must hold in both orders. */
const undeclared: Array<[string, PasswordInput]> = [
  ['[iron, fernet]', [IRON, FERNET]],
  ['[fernet, iron]', [FERNET, IRON]],
];

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let signer: SessionManager;

beforeAll(async () => {
  emulator = await startEmulator();
  signer = manager(IRON);
});
afterAll(() => emulator?.close());

function manager(cookiePassword: PasswordInput, options: Partial<SessionManagerOptions> = {}): SessionManager {
  return new SessionManager({ clientId: emulator.clientId, apiKey: emulator.apiKey, baseUrl: emulator.url, cookiePassword, ...options });
}

function workosNode(): WorkOS {
  const url = new URL(emulator.url);
  return new WorkOS(emulator.apiKey, { apiHostname: url.hostname, port: Number(url.port), https: false, clientId: emulator.clientId });
}

/** A session cookie as workos-python writes it: snake_case keys, sealed with `Fernet(key)`. */
async function pythonCookie(key: string): Promise<string> {
  const { code, codeVerifier } = await signInCode(signer, emulator.users.bob.email);
  const auth = await signer.authenticateWithCode({ code, codeVerifier });
  const user = { object: 'user', id: auth.user.id, email: auth.user.email, first_name: auth.user.firstName, last_name: auth.user.lastName };
  return python({ op: 'seal', key, data: { access_token: auth.accessToken, refresh_token: auth.refreshToken, user } }) as string;
}

/** A session cookie as @workos-inc/node writes it (Iron, id 1). */
async function nodeCookie(password: string): Promise<string> {
  const { code, codeVerifier } = await signInCode(signer, emulator.users.alice.email);
  const auth = await workosNode().userManagement.authenticateWithCode({
    clientId: emulator.clientId, code, codeVerifier, session: { sealSession: true, cookiePassword: password },
  });
  return auth.sealedSession as string;
}

/** What workos-python reads out of `cookie` with its one key (throws when it cannot). */
function readByPython(cookie: string, key: string): Record<string, unknown> {
  return python({ op: 'unseal', key, token: cookie }) as Record<string, unknown>;
}

/** Whether @workos-inc/node, holding `password`, accepts `cookie` as a session. */
async function readByNode(cookie: string, password: string): Promise<boolean> {
  const result = await workosNode().userManagement.loadSealedSession({ sessionData: cookie, cookiePassword: password }).authenticate();
  return result.authenticated;
}

/** Authenticates `cookie` in `sessions`, then refreshes it twice; returns both new cookies. */
async function refreshTwice(sessions: SessionManager, cookie: string): Promise<string[]> {
  const out: string[] = [];
  let current = cookie;
  for (let round = 0; round < 2; round++) {
    // Flagged cookies are refreshed on every request by the handler: none of these may be.
    expect(await sessions.loadSealedSession({ sessionData: current }).authenticate()).toMatchObject({ authenticated: true, sealedWithOldPassword: false });
    const refreshed = await sessions.loadSealedSession({ sessionData: current }).refresh();
    if (!refreshed.authenticated) throw new Error(`refresh failed: ${refreshed.reason}`);
    current = refreshed.sealedSession;
    out.push(current);
  }
  return out;
}

describe.skipIf(!pythonReady)('a workos-python cookie refreshed here stays readable by workos-python', () => {
  test.each([...declared, ...undeclared])('%s', async (_name, keyring) => {
    const sessions = manager(keyring);
    for (const cookie of await refreshTwice(sessions, await pythonCookie(FERNET))) {
      expect(cookie.startsWith('gAAAAA')).toBe(true);
      const data = readByPython(cookie, FERNET);
      expect(Object.keys(data)).toEqual(expect.arrayContaining(['access_token', 'refresh_token', 'user']));
      expect(data.user).toMatchObject({ id: emulator.users.bob.id, email: 'bob@globex.test' });
    }
  });
});

describe('a @workos-inc/node cookie refreshed here stays readable by @workos-inc/node', () => {
  test.each(declared)('%s', async (_name, keyring) => {
    const sessions = manager(keyring);
    for (const cookie of await refreshTwice(sessions, await nodeCookie(IRON))) {
      expect(cookie.startsWith('Fe26.2*1*')).toBe(true);
      expect(await readByNode(cookie, IRON)).toBe(true);
    }
  });
});

describe.skipIf(!pythonReady)('new sessions and conversions go to the key of the app that reads them', () => {
  test.each(declared)('sealFormat fernet with %s: workos-python reads new sign-ins', async (_name, keyring) => {
    const sessions = manager(keyring, { sealFormat: 'fernet' });
    const { code, codeVerifier } = await signInCode(sessions, emulator.users.bob.email);
    const cookie = await sessions.sealSessionFromAuthResponse(await sessions.authenticateWithCode({ code, codeVerifier }));
    expect(readByPython(cookie, FERNET)).toMatchObject({ user: { id: emulator.users.bob.id } });
  });

  test.each(declared)('refreshSealFormat fernet with %s: a Node cookie becomes one workos-python reads', async (_name, keyring) => {
    const sessions = manager(keyring, { refreshSealFormat: 'fernet' });
    const refreshed = await sessions.loadSealedSession({ sessionData: await nodeCookie(IRON) }).refresh();
    if (!refreshed.authenticated) throw new Error(refreshed.reason);
    expect(readByPython(refreshed.sealedSession, FERNET)).toMatchObject({ access_token: refreshed.accessToken });
  });

  test('a Fernet cookie sealed with the Iron password (before the key was declared) is flagged and moved to the key', async () => {
    const { code, codeVerifier } = await signInCode(signer, emulator.users.bob.email);
    const misplaced = await manager([IRON, FERNET], { sealFormat: 'fernet' }).sealSessionFromAuthResponse(await signer.authenticateWithCode({ code, codeVerifier }));
    expect(() => readByPython(misplaced, FERNET)).toThrow(/InvalidToken/);

    const sessions = manager([IRON, fernet]);
    expect(await sessions.loadSealedSession({ sessionData: misplaced }).authenticate()).toMatchObject({ authenticated: true, sealedWithOldPassword: true });
    const refreshed = await sessions.loadSealedSession({ sessionData: misplaced }).refresh();
    if (!refreshed.authenticated) throw new Error(refreshed.reason);
    expect(readByPython(refreshed.sealedSession, FERNET)).toMatchObject({ access_token: refreshed.accessToken });
  });
});

describe.skipIf(!pythonReady)('Fernet key rotation', () => {
  test('undeclared keys: a cookie stays under the key that opened it', async () => {
    const sessions = manager([NEW_FERNET, FERNET]);
    for (const cookie of await refreshTwice(sessions, await pythonCookie(FERNET))) expect(readByPython(cookie, FERNET)).toBeTruthy();
  });

  test('only the new key declared: cookies are flagged and move to it', async () => {
    const sessions = manager([{ format: 'fernet', secret: NEW_FERNET }, FERNET]);
    const cookie = await pythonCookie(FERNET);
    expect(await sessions.loadSealedSession({ sessionData: cookie }).authenticate()).toMatchObject({ authenticated: true, sealedWithOldPassword: true });
    const refreshed = await sessions.loadSealedSession({ sessionData: cookie }).refresh();
    if (!refreshed.authenticated) throw new Error(refreshed.reason);
    expect(readByPython(refreshed.sealedSession, NEW_FERNET)).toMatchObject({ access_token: refreshed.accessToken });
    expect(await sessions.loadSealedSession({ sessionData: refreshed.sealedSession }).authenticate()).toMatchObject({ sealedWithOldPassword: false });
  });
});

test('a seal format that no password serves is a configuration error, before any sign-in', () => {
  expect(() => manager([fernet], { sealFormat: 'iron' })).toThrow(/sealFormat is "iron" but no cookiePassword seals Iron/);
  expect(() => manager([iron], { refreshSealFormat: 'fernet' })).toThrow(/refreshSealFormat is "fernet" but no cookiePassword seals Fernet/);
  expect(() => manager('k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA', { sealFormat: 'fernet' })).toThrow(/seals Fernet/);
});
