/**
 * Per-request redirect URIs against the WorkOS emulator: an app served from two origins (a
 * production and a preview deployment) signs users in on each, with the provider sending the
 * browser back to the origin the sign-in started from; a callback that arrives at another
 * redirect URI than its sign-in sent (a code carried from one deployment to another) signs
 * nobody in, for an allow-list and for a function of the request alike.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import { parseCookieHeader } from '../../../src/cookies/index.js';
import { createSessionHandler, SessionManager, type SessionEvent, type SessionHandlerOptions } from '../../../src/index.js';
import { PASSWORD } from '../../support/web-app.js';

// The emulator redirects to loopback hosts only: two of them stand for two deployments.
const PROD = 'http://localhost:3999';
const PREVIEW = 'http://127.0.0.1:4001';
const STATE_COOKIE = 'wos-auth-state';

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let sessions: SessionManager;

beforeAll(async () => {
  emulator = await startEmulator();
  sessions = new SessionManager({ clientId: emulator.clientId, apiKey: emulator.apiKey, cookiePassword: PASSWORD, baseUrl: emulator.url });
});
afterAll(async () => {
  await emulator?.close();
});

function handler(redirectUri: SessionHandlerOptions['redirectUri']) {
  const events: SessionEvent[] = [];
  const auth = createSessionHandler({ sessions, redirectUri, onEvent: (event) => events.push(event) });
  const causes = () => events.flatMap((event) => (event.type === 'sign_in.failed' ? [event.cause] : []));
  return { auth, causes };
}

function pairs(response: Response): Map<string, string> {
  return parseCookieHeader(response.headers.getSetCookie().map((header) => header.split(';', 1)[0]).join('; '));
}

/** A sign-in started by a request to `origin`: the state cookie, and where the provider sent the browser back. */
async function startSignIn(auth: ReturnType<typeof createSessionHandler>, origin: string, headers: Record<string, string> = {}) {
  const start = (await auth.handle(new Request(`${origin}/auth/sign-in?loginHint=${encodeURIComponent(emulator.users.alice.email)}`, { headers })))!;
  expect(start.status).toBe(302);
  const atProvider = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  return { state: pairs(start).get(STATE_COOKIE)!, callback: new URL(atProvider.headers.get('location')!) };
}

/** Visits the callback path on `origin` with the query the provider sent; the status and whether a session was set. */
async function callbackAt(auth: ReturnType<typeof createSessionHandler>, origin: string, sent: URL, state: string, headers: Record<string, string> = {}) {
  const url = new URL(`${sent.pathname}${sent.search}`, origin);
  const response = (await auth.handle(new Request(url, { headers: { ...headers, cookie: `${STATE_COOKIE}=${state}` } })))!;
  return { status: response.status, signedIn: pairs(response).has('wos-session') };
}

describe('an allow-list of two deployments', () => {
  const list = [`${PROD}/auth/callback`, `${PREVIEW}/auth/callback`];

  test('each deployment signs in on its own origin', async () => {
    const { auth } = handler(list);
    for (const origin of [PROD, PREVIEW]) {
      const { state, callback } = await startSignIn(auth, origin);
      expect(callback.origin).toBe(origin);
      expect(await callbackAt(auth, origin, callback, state)).toEqual({ status: 302, signedIn: true });
    }
  });

  test('a code from the preview sign-in, brought to production with its state cookie, signs nobody in', async () => {
    const { auth, causes } = handler(list);
    const { state, callback } = await startSignIn(auth, PREVIEW);
    expect(await callbackAt(auth, PROD, callback, state)).toEqual({ status: 400, signedIn: false });
    expect(causes()).toEqual(['redirect_uri_mismatch']);
    // The code was not spent: the sign-in still finishes where it started.
    expect(await callbackAt(auth, PREVIEW, callback, state)).toEqual({ status: 302, signedIn: true });
  });

  test('and the other way round', async () => {
    const { auth, causes } = handler(list);
    const { state, callback } = await startSignIn(auth, PROD);
    expect(await callbackAt(auth, PREVIEW, callback, state)).toEqual({ status: 400, signedIn: false });
    expect(causes()).toEqual(['redirect_uri_mismatch']);
  });
});

describe('a function of the request', () => {
  // Behind a proxy the public host comes in a header the proxy sets; only known hosts are answered.
  const KNOWN = new Set(['localhost:3999', '127.0.0.1:4001']);
  const fromProxy = (request: Request) => {
    const host = request.headers.get('x-forwarded-host');
    return host !== null && KNOWN.has(host) ? `http://${host}/auth/callback` : undefined;
  };
  const internal = 'http://10.0.0.7:8080';

  test('the sign-in and its callback through the proxy: signed in on the host the browser used', async () => {
    const { auth } = handler(fromProxy);
    const headers = { 'x-forwarded-host': '127.0.0.1:4001' };
    const { state, callback } = await startSignIn(auth, internal, headers);
    expect(callback.origin).toBe(PREVIEW);
    expect(await callbackAt(auth, internal, callback, state, headers)).toEqual({ status: 302, signedIn: true });
  });

  test('a callback through another host than its sign-in, or an unknown one, signs nobody in', async () => {
    const { auth, causes } = handler(fromProxy);
    const { state, callback } = await startSignIn(auth, internal, { 'x-forwarded-host': '127.0.0.1:4001' });
    expect(await callbackAt(auth, internal, callback, state, { 'x-forwarded-host': 'localhost:3999' })).toEqual({ status: 400, signedIn: false });
    expect(await callbackAt(auth, internal, callback, state, { 'x-forwarded-host': 'evil.example' })).toEqual({ status: 400, signedIn: false });
    expect(await callbackAt(auth, internal, callback, state)).toEqual({ status: 400, signedIn: false });
    expect(causes()).toEqual(['redirect_uri_mismatch', 'redirect_uri_not_allowed', 'redirect_uri_not_allowed']);
  });
});
