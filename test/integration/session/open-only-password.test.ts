/**
 * Moving off a predictable cookie password without signing anyone out. @workos-inc/node seals
 * with any password of 32+ characters; here such a password is refused for sealing, and kept
 * as `{ secret, openOnly: true }` next to a new one: the cookies it sealed open, are flagged and
 * are refreshed onto the new password, which @workos-inc/node (given the new password) reads.
 * Fernet likewise, against Python's `cryptography` as workos-python calls it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { WorkOS } from '@workos-inc/node';
import { ConfigError } from '../../../src/errors/index.js';
import { createRequestAuthenticator } from '../../../src/http/index.js';
import { SessionManager, type PasswordInput, type SessionEvent, type SessionManagerOptions } from '../../../src/index.js';
import { startEmulator } from '../../../demo/emulator.js';
import { signInCode } from '../../support/signin.js';
import { python, pythonReady } from '../../support/python-fernet.js';

// Accepted by @workos-inc/node (32 characters), refused here as a sealing password.
const WEAK = 'changeme'.repeat(4);
const OTHER_WEAK = 'Password1!'.repeat(4);
const NEW = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
// 32 zero bytes: a key `cryptography` takes, too predictable to seal with here.
const WEAK_FERNET = Buffer.alloc(32).toString('base64');
const NEW_FERNET = 'IZFWa_UaobewEzc5RPqMul5aCVunFIruLiiadyCcizk=';

const legacy = { secret: WEAK, openOnly: true } as const;

const older = { secret: OTHER_WEAK, openOnly: true } as const;

/** Keyrings that move @workos-inc/node cookies onto NEW: the weak password the cookie was sealed with, and its id. */
const keyrings: Array<[string, PasswordInput, string, string]> = [
  ['[new, legacy]', [NEW, legacy], WEAK, 'open_1'],
  ['[legacy, new]', [legacy, NEW], WEAK, 'open_1'],
  ['explicit ids', [{ id: '1', secret: NEW }, { id: 'before_2025', secret: WEAK, openOnly: true }], WEAK, 'before_2025'],
  ['declared Iron', [{ format: 'iron', secret: NEW }, { ...legacy, format: 'iron' }], WEAK, 'open_1'],
  ['two legacy passwords, the newer', [NEW, legacy, older], WEAK, 'open_2'],
  ['two legacy passwords, the older', [NEW, legacy, older], OTHER_WEAK, 'open_1'],
  ['with a Fernet key', [NEW, { format: 'fernet', secret: NEW_FERNET }, legacy], WEAK, 'open_1'],
];

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let signer: SessionManager;

beforeAll(async () => {
  emulator = await startEmulator();
  signer = manager(NEW);
});
afterAll(() => emulator?.close());
afterEach(() => {
  vi.restoreAllMocks();
});

function manager(cookiePassword: PasswordInput, options: Partial<SessionManagerOptions> = {}): SessionManager {
  return new SessionManager({ clientId: emulator.clientId, apiKey: emulator.apiKey, baseUrl: emulator.url, cookiePassword, ...options });
}

function recorded(cookiePassword: PasswordInput) {
  const events: SessionEvent[] = [];
  const sessions = manager(cookiePassword, { onEvent: (event) => events.push(event) });
  const openOnly = () => events.filter((event) => event.type === 'password.open_only_used');
  return { sessions, events, openOnly };
}

function workosNode(): WorkOS {
  const url = new URL(emulator.url);
  return new WorkOS(emulator.apiKey, { apiHostname: url.hostname, port: Number(url.port), https: false, clientId: emulator.clientId });
}

/** A session cookie as @workos-inc/node writes it with `password` (Iron, id 1). */
async function nodeCookie(password: string): Promise<string> {
  const { code, codeVerifier } = await signInCode(signer, emulator.users.alice.email);
  const auth = await workosNode().userManagement.authenticateWithCode({
    clientId: emulator.clientId, code, codeVerifier, session: { sealSession: true, cookiePassword: password },
  });
  return auth.sealedSession as string;
}

/** Whether @workos-inc/node, holding `password`, accepts `cookie` as a session. */
async function readByNode(cookie: string, password: string): Promise<boolean> {
  const result = await workosNode().userManagement.loadSealedSession({ sessionData: cookie, cookiePassword: password }).authenticate();
  return result.authenticated;
}

/** A session cookie as workos-python writes it with `key`. */
async function pythonCookie(key: string): Promise<string> {
  const { code, codeVerifier } = await signInCode(signer, emulator.users.bob.email);
  const auth = await signer.authenticateWithCode({ code, codeVerifier });
  const user = { object: 'user', id: auth.user.id, email: auth.user.email, first_name: auth.user.firstName, last_name: auth.user.lastName };
  return python({ op: 'seal', key, data: { access_token: auth.accessToken, refresh_token: auth.refreshToken, user } }) as string;
}

function expectNoSecret(events: readonly SessionEvent[], ...secrets: string[]): void {
  const text = JSON.stringify(events);
  for (const secret of [WEAK, OTHER_WEAK, NEW, WEAK_FERNET, NEW_FERNET, ...secrets]) expect(text).not.toContain(secret);
}

// First in the file: the default warning is printed once per process.
test('without a listener, one warning for the whole process, naming the password by id only', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
  for (const sessions of [manager([NEW, legacy]), manager([NEW, legacy])]) {
    for (const cookie of [await nodeCookie(WEAK), await nodeCookie(WEAK)]) {
      expect(await sessions.loadSealedSession({ sessionData: cookie }).authenticate()).toMatchObject({ authenticated: true, sealedWithOldPassword: true });
    }
  }
  const lines = warn.mock.calls.map((call) => String(call[0]));
  expect(lines).toEqual(['sealed-session password.open_only_used passwordId="open_1" format="iron"']);
  expect(info).not.toHaveBeenCalled();
  // debug: true prints every event, this one included.
  const verbose = manager([NEW, legacy], { debug: true });
  await verbose.loadSealedSession({ sessionData: await nodeCookie(WEAK) }).authenticate();
  expect(warn.mock.calls.map((call) => String(call[0]))).toContain('sealed-session password.open_only_used passwordId="open_1" format="iron"');
  expect(warn).toHaveBeenCalledTimes(2);
});

describe('a predictable password alone is a configuration error naming cookiePassword', () => {
  test.each([
    ['the weak password', WEAK, /cookiePassword: The password is too predictable.*\{ secret, openOnly: true \}/],
    ['in a list', [NEW, WEAK], /cookiePassword: Password '1' is too predictable.*openOnly: true/],
    ['open-only alone', [legacy], /cookiePassword: The password only opens \(`openOnly`\) and no password seals Iron/],
    ['open-only only', [legacy, older], /cookiePassword: Password 'open_2' only opens/],
    ['open-only next to a Fernet key only', [{ format: 'fernet', secret: NEW_FERNET }, { ...legacy, format: 'iron' }], /no password seals Iron/],
    ['open-only and too short', [NEW, { secret: 'changeme', openOnly: true }], /cookiePassword: Password 'open_1' is too short: 8 characters, at least 32/],
  ])('%s', (_name, cookiePassword, message) => {
    let error: unknown;
    try {
      manager(cookiePassword as PasswordInput);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    for (const secret of [WEAK, OTHER_WEAK, NEW, NEW_FERNET]) expect((error as Error).message).not.toContain(secret);
  });

  test('the same cookies are what @workos-inc/node seals and reads with it', async () => {
    const cookie = await nodeCookie(WEAK);
    expect(cookie.startsWith('Fe26.2*1*')).toBe(true);
    expect(await readByNode(cookie, WEAK)).toBe(true);
  });
});

describe.each(keyrings)('a @workos-inc/node cookie sealed with a weak password, keyring %s', (_name, cookiePassword, weak, weakId) => {
  test('signs in, flagged; one event per cookie opened; the refresh seals with the new password, which @workos-inc/node reads', async () => {
    const { sessions, events, openOnly } = recorded(cookiePassword);
    const cookie = await nodeCookie(weak);

    for (let round = 0; round < 3; round++) {
      expect(await sessions.loadSealedSession({ sessionData: cookie }).authenticate()).toMatchObject({
        authenticated: true, user: { id: emulator.users.alice.id }, sealedWithOldPassword: true,
      });
    }
    // The cookie is opened once and remembered: one event, not one per request.
    expect(openOnly().map(({ at: _at, ...event }) => event)).toEqual([{ type: 'password.open_only_used', passwordId: weakId, format: 'iron' }]);

    const refreshed = await sessions.loadSealedSession({ sessionData: cookie }).refresh();
    if (!refreshed.authenticated) throw new Error(`refresh failed: ${refreshed.reason}`);
    expect(refreshed.sealedSession.startsWith('Fe26.2*1*')).toBe(true);
    expect(await readByNode(refreshed.sealedSession, NEW)).toBe(true);
    expect(await readByNode(refreshed.sealedSession, weak)).toBe(false);
    expect(await sessions.loadSealedSession({ sessionData: refreshed.sealedSession }).authenticate()).toMatchObject({
      authenticated: true, sealedWithOldPassword: false,
    });
    // A second manager, as after a restart: the new cookie never names the weak password.
    const restarted = recorded(cookiePassword);
    expect(await restarted.sessions.loadSealedSession({ sessionData: refreshed.sealedSession }).authenticate()).toMatchObject({ sealedWithOldPassword: false });
    expect(openOnly()).toHaveLength(1);
    expect(restarted.openOnly()).toEqual([]);
    expectNoSecret([...events, ...restarted.events], cookie, refreshed.sealedSession);
  });

  test('the request authenticator refreshes it on the first request, and the browser gets a cookie under the new password', async () => {
    const { sessions, openOnly } = recorded(cookiePassword);
    const authenticator = createRequestAuthenticator({ sessions, cookie: { url: 'https://app.test' } });
    const name = authenticator.cookie.name;
    const cookie = await nodeCookie(weak);
    const { session, setCookies } = await authenticator.authenticate(new Request('https://app.test/', { headers: { cookie: `${name}=${cookie}` } }));
    expect(session.authenticated).toBe(true);
    expect(setCookies).toHaveLength(1);
    const written = (setCookies[0] as string).split(';')[0]?.slice(name.length + 1) ?? '';
    expect(written.startsWith('Fe26.2*1*')).toBe(true);
    expect(await readByNode(written, NEW)).toBe(true);
    expect(openOnly()).toHaveLength(1);
    const next = await authenticator.authenticate(new Request('https://app.test/', { headers: { cookie: `${name}=${written}` } }));
    expect(next).toMatchObject({ session: { authenticated: true }, setCookies: [] });
  });
});

test('sign-in state still seals and opens: no state key comes from an open-only password', async () => {
  const sessions = manager([NEW, legacy]);
  const sealed = await sessions.sealState({ returnTo: '/a' }, 600);
  expect(await sessions.unsealState(sealed, 600)).toEqual({ returnTo: '/a' });
  // The same new password without the legacy one opens it: it was sealed with the new password's key.
  expect(await manager(NEW).unsealState(sealed, 600)).toEqual({ returnTo: '/a' });
});

test('cookies sealed with the new password, or with nothing this app knows, are unaffected', async () => {
  const { sessions, openOnly } = recorded([NEW, legacy]);
  expect(await sessions.loadSealedSession({ sessionData: await nodeCookie(NEW) }).authenticate()).toMatchObject({
    authenticated: true, sealedWithOldPassword: false,
  });
  expect(await sessions.loadSealedSession({ sessionData: await nodeCookie(OTHER_WEAK) }).authenticate()).toMatchObject({
    authenticated: false, reason: 'invalid_session_cookie',
  });
  expect(openOnly()).toEqual([]);
});

describe.skipIf(!pythonReady)('a workos-python cookie sealed with a predictable Fernet key', () => {
  const weakKey = { format: 'fernet', secret: WEAK_FERNET, openOnly: true } as const;

  test.each([
    ['[iron, new Fernet key, legacy key]', [NEW, { format: 'fernet', secret: NEW_FERNET }, weakKey]],
    ['[legacy key, new Fernet key declared, iron]', [weakKey, { format: 'fernet', secret: NEW_FERNET }, NEW]],
    ['undeclared new Fernet key first', [NEW_FERNET, { secret: WEAK_FERNET, openOnly: true }]],
  ] as Array<[string, PasswordInput]>)('%s: opens, flagged, refreshed onto the new key that workos-python reads', async (_name, cookiePassword) => {
    const { sessions, events, openOnly } = recorded(cookiePassword);
    const cookie = await pythonCookie(WEAK_FERNET);
    expect(await sessions.loadSealedSession({ sessionData: cookie }).authenticate()).toMatchObject({ authenticated: true, sealedWithOldPassword: true });
    expect(openOnly()).toMatchObject([{ passwordId: 'open_1', format: 'fernet' }]);
    const refreshed = await sessions.loadSealedSession({ sessionData: cookie }).refresh();
    if (!refreshed.authenticated) throw new Error(`refresh failed: ${refreshed.reason}`);
    expect(refreshed.sealedSession.startsWith('gAAAAA')).toBe(true);
    expect(python({ op: 'unseal', key: NEW_FERNET, token: refreshed.sealedSession })).toMatchObject({ access_token: refreshed.accessToken });
    expect(() => python({ op: 'unseal', key: WEAK_FERNET, token: refreshed.sealedSession })).toThrow(/InvalidToken/);
    expect(await sessions.loadSealedSession({ sessionData: refreshed.sealedSession }).authenticate()).toMatchObject({ sealedWithOldPassword: false });
    expectNoSecret(events, cookie, refreshed.sealedSession);
  });
});
