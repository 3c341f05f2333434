/**
 * The cookie of @workos-inc/authkit-nextjs, both ways, with the real package (run in its own
 * process: it reads its environment when loaded) against the WorkOS emulator: a session signed
 * in through `sealed-session/next` is one authkit-nextjs's proxy accepts, and refreshes; a
 * session sealed (or refreshed) by authkit-nextjs is one ours accepts. Apps move either way
 * without signing anyone out.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import { SessionManager } from '../../../src/index.js';
import { authkit, configureAuthKit, getSignInUrl, handleAuth } from '../../../src/next/index.js';
import { cookiesAfter } from '../../../src/next/set-cookie.js';
import { signInCode } from '../../support/signin.js';
import { PASSWORD } from '../../support/web-app.js';

const OTHER_PASSWORD = 'Zq8w3Ex5Rt7Yu9Io1Pa2Sd4Fg6Hj8Kl0';
const APP = 'http://localhost:3000';
const REDIRECT_URI = `${APP}/auth/callback`;
const run = promisify(execFile);
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let sessions: SessionManager;

interface Theirs {
  email: string | null;
  userId: string | null;
  sessionId: string | null;
  sessionHeader: string | null;
  setCookie: string | null;
}

/** Runs authkit-nextjs in a process of its own, configured like the app under `password`. */
async function authkitNextjs<T>(op: 'authkit' | 'seal', args: unknown, password = PASSWORD): Promise<T> {
  const api = new URL(emulator.url);
  const { stdout } = await run(process.execPath, ['--import', fixture('next-resolve.mjs'), fixture('authkit-nextjs-worker.mjs'), op, JSON.stringify(args)], {
    env: {
      PATH: process.env.PATH,
      WORKOS_CLIENT_ID: emulator.clientId,
      WORKOS_API_KEY: emulator.apiKey,
      WORKOS_COOKIE_PASSWORD: password,
      NEXT_PUBLIC_WORKOS_REDIRECT_URI: REDIRECT_URI,
      WORKOS_API_HOSTNAME: api.hostname,
      WORKOS_API_PORT: api.port,
      WORKOS_API_HTTPS: 'false',
    },
  });
  return JSON.parse(stdout) as T;
}

const theirAuthkit = (cookie: string, options: { refreshBufferSeconds?: number } = {}, password?: string) =>
  authkitNextjs<Theirs>('authkit', { url: `${APP}/account`, cookie: `wos-session=${cookie}`, ...options }, password);

function cookieValue(setCookie: string | null): string | undefined {
  return setCookie?.split(';', 1)[0]?.split('=').slice(1).join('=');
}

/** Signs `email` in through `sealed-session/next`: sign-in link, emulator, callback route. */
async function signInHere(email: string): Promise<string> {
  const link = await getSignInUrl({ loginHint: email, returnTo: '/account' });
  const GET = handleAuth();
  const started = await GET(new Request(link));
  const toProvider = started.headers.get('location')!;
  const callback = (await fetch(toProvider, { redirect: 'manual' })).headers.get('location')!;
  const jar = cookiesAfter(new Map(), started.headers.getSetCookie());
  const finished = await GET(new Request(callback, { headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } }));
  expect(finished.status).toBe(307);
  expect(finished.headers.get('location')).toBe(`${APP}/account`);
  const cookie = cookiesAfter(jar, finished.headers.getSetCookie()).get('wos-session');
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

/** Signs `email` in at the emulator and has authkit-nextjs seal the session, as its callback does. */
async function signInThere(email: string, password?: string): Promise<string> {
  const { code, codeVerifier } = await signInCode(sessions, email, REDIRECT_URI);
  const auth = await sessions.authenticateWithCode({ code, codeVerifier });
  const session = { accessToken: auth.accessToken, refreshToken: auth.refreshToken, user: auth.user, authenticationMethod: auth.authenticationMethod };
  return (await authkitNextjs<{ sealed: string }>('seal', { session }, password)).sealed;
}

async function ours(cookie: string) {
  return authkit(new Request(`${APP}/account`, { headers: { cookie: `wos-session=${cookie}` } }));
}

beforeAll(async () => {
  emulator = await startEmulator();
  sessions = new SessionManager({ clientId: emulator.clientId, apiKey: emulator.apiKey, cookiePassword: PASSWORD, baseUrl: emulator.url });
  configureAuthKit({ sessions, redirectUri: REDIRECT_URI });
});

afterAll(async () => {
  configureAuthKit();
  await emulator?.close();
});

describe('the session cookie of authkit-nextjs, both ways', () => {
  test('signed in here: authkit-nextjs reads the session, and its refresh of it reads back here', async () => {
    const cookie = await signInHere(emulator.users.alice.email);
    expect(cookie).toMatch(/^Fe26\.2\*1\*/);

    const read = await theirAuthkit(cookie);
    expect(read).toMatchObject({ email: 'alice@acme.test', userId: emulator.users.alice.id, setCookie: null });
    expect(read.sessionId).toMatch(/^session_/);
    expect(read.sessionHeader).toBe(cookie);

    // A buffer longer than the token's life makes authkit-nextjs refresh now, with our refresh token.
    const refreshed = cookieValue((await theirAuthkit(cookie, { refreshBufferSeconds: 7200 })).setCookie);
    expect(refreshed).toMatch(/^Fe26\.2\*1\*/);
    expect(refreshed).not.toBe(cookie);
    const back = await ours(refreshed!);
    expect(back.session.user?.email).toBe('alice@acme.test');
    expect(back.headers.get('x-workos-session')).toBe(refreshed);
    // The spent refresh token is spent for both.
    expect((await sessions.loadSealedSession({ sessionData: cookie }).refresh()).authenticated).toBe(false);
  });

  test('sealed by authkit-nextjs: read here, refreshed here, and the refreshed cookie read there', async () => {
    const cookie = await signInThere(emulator.users.bob.email);
    const read = await ours(cookie);
    expect(read.session).toMatchObject({ user: { email: 'bob@globex.test', id: emulator.users.bob.id } });
    expect(read.headers.getSetCookie()).toEqual([]);
    expect(read.headers.get('x-workos-session')).toBe(cookie);

    const refreshed = await sessions.loadSealedSession({ sessionData: cookie }).refresh();
    if (!refreshed.authenticated) throw new Error(`refresh failed: ${refreshed.reason}`);
    const there = await theirAuthkit(refreshed.sealedSession);
    expect(there).toMatchObject({ email: 'bob@globex.test', setCookie: null });
  });

  test('neither accepts the other’s cookie under another password', async () => {
    const mine = await signInHere(emulator.users.alice.email);
    expect((await theirAuthkit(mine, {}, OTHER_PASSWORD)).email).toBeNull();

    const foreign = await signInThere(emulator.users.bob.email, OTHER_PASSWORD);
    const read = await ours(foreign);
    expect(read.session.user).toBeNull();
    expect(read.authorizationUrl).toMatch(/^http:\/\/localhost:3000\/auth\/callback\?authkit_sign_in=/);
    // The dead cookie is deleted.
    expect(read.headers.getSetCookie()).toEqual([expect.stringMatching(/^wos-session=; .*Max-Age=0/)]);
  });
});
