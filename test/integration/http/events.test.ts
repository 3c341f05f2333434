/**
 * The events of the session handler against the WorkOS emulator: a whole journey (sign-in,
 * requests, a refresh, sign-out) emits each event once where it should; every way a callback
 * can fail names its cause; failures that would go unseen are printed by default and nothing
 * else is; a handler's own listener hears its requests. Every event emitted here is then
 * scanned for the secrets of the journey: cookies, tokens, password, API key, code, PKCE
 * verifier, state and emails.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import { parseCookieHeader } from '../../../src/cookies/index.js';
import {
  createSessionHandler,
  SessionManager,
  unsealData,
  type SessionEvent,
  type SessionHandlerOptions,
  type SessionManagerOptions,
} from '../../../src/index.js';
import { PASSWORD } from '../../support/web-app.js';

const APP = 'http://localhost:3999';
const STATE_COOKIE = 'wos-auth-state';

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let clock = Date.now();
const secrets = new Set<string>([PASSWORD]);
const seen: SessionEvent[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  secrets.add(emulator.apiKey).add(emulator.users.alice.email).add(emulator.users.bob.email);
});
afterAll(async () => {
  await emulator?.close();
});
afterEach(() => {
  vi.restoreAllMocks();
  clock = Date.now();
});

function app(handler: Partial<SessionHandlerOptions> = {}, manager: Partial<SessionManagerOptions> = {}) {
  const sessions = new SessionManager({
    clientId: emulator.clientId, apiKey: emulator.apiKey, cookiePassword: PASSWORD, baseUrl: emulator.url, now: () => clock, ...manager,
  });
  const auth = createSessionHandler({ sessions, redirectUri: `${APP}/auth/callback`, ...handler });
  return { sessions, auth };
}

function recorder() {
  const events: SessionEvent[] = [];
  const onEvent = (event: SessionEvent) => {
    events.push(event);
    seen.push(event);
  };
  return { events, onEvent, types: () => events.map((event) => event.type) };
}

function setCookiePairs(response: Response): Map<string, string> {
  return parseCookieHeader(response.headers.getSetCookie().map((header) => header.split(';', 1)[0]).join('; '));
}

/** Starts a sign-in at the app and at the emulator: the state cookie, and the callback URL with its code. */
async function startSignIn(auth: ReturnType<typeof createSessionHandler>, email: string, sessions: SessionManager) {
  const start = (await auth.handle(new Request(`${APP}/auth/sign-in?loginHint=${encodeURIComponent(email)}`)))!;
  const stateValue = setCookiePairs(start).get(STATE_COOKIE)!;
  const atProvider = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  const callback = new URL(atProvider.headers.get('location')!);
  const saved = await sessions.unsealState<{ state: string; codeVerifier: string }>(stateValue, 600);
  secrets.add(stateValue).add(saved.state).add(saved.codeVerifier).add(callback.searchParams.get('code')!);
  return { stateValue, callback };
}

async function finish(auth: ReturnType<typeof createSessionHandler>, callback: URL, stateValue: string) {
  const response = (await auth.handle(new Request(callback, { headers: { cookie: `${STATE_COOKIE}=${stateValue}` } })))!;
  const session = setCookiePairs(response).get('wos-session');
  if (session) {
    secrets.add(session);
    const payload = await unsealData<{ accessToken: string; refreshToken: string }>(session, { password: PASSWORD });
    secrets.add(payload.accessToken).add(payload.refreshToken);
  }
  return { status: response.status, session };
}

describe('a whole journey', () => {
  test('sign-in, two requests, a refresh, sign-out: each event once, in order', async () => {
    const { onEvent, events, types } = recorder();
    // Keys that stay fresh across the jump of the clock below: no background fetch races the events.
    const { sessions, auth } = app({}, { onEvent, jwks: { maxAgeMs: 24 * 3_600_000 } });
    const { stateValue, callback } = await startSignIn(auth, emulator.users.alice.email, sessions);
    const { status, session } = await finish(auth, callback, stateValue);
    expect(status).toBe(302);
    const page = () => new Request(`${APP}/`, { headers: { cookie: `wos-session=${session}` } });
    const first = (await auth.authenticate(page())).session;
    expect(first.authenticated).toBe(true);
    expect((await auth.authenticate(page())).session.authenticated).toBe(true);
    // Past the emulator's one-hour access tokens.
    clock += 3_660_000;
    const refreshed = await auth.authenticate(page());
    expect(refreshed.session).toMatchObject({ authenticated: true, refreshed: true });
    const newCookie = setCookiePairs(new Response(null, { headers: refreshed.setCookies.map((value): [string, string] => ['set-cookie', value]) })).get('wos-session')!;
    secrets.add(newCookie);
    const payload = await unsealData<{ accessToken: string; refreshToken: string }>(newCookie, { password: PASSWORD });
    secrets.add(payload.accessToken).add(payload.refreshToken);
    const out = (await auth.handle(new Request(`${APP}/auth/sign-out`, { method: 'POST', headers: { cookie: `wos-session=${newCookie}`, origin: APP } })))!;
    expect(out.status).toBe(303);

    expect(types()).toEqual([
      'sign_in.started',
      'sign_in.succeeded',
      'jwks.fetched',
      'authenticate',
      'authenticate',
      'authenticate',
      'refresh.started',
      'refresh.succeeded',
      'sign_out',
    ]);
    const userId = emulator.users.alice.id;
    const sessionId = first.authenticated ? first.sessionId : '';
    // The emulator starts a new session id on refresh.
    const newSessionId = refreshed.session.authenticated ? refreshed.session.sessionId : '';
    expect(events[0]).toMatchObject({ redirectUri: `${APP}/auth/callback`, screenHint: 'sign-in' });
    expect(events[1]).toMatchObject({ userId, sessionId });
    expect(events[2]).toMatchObject({ trigger: 'initial', keyCount: 1 });
    expect(events[3]).toMatchObject({ authenticated: true, userId, sessionId });
    expect(events[5]).toMatchObject({ authenticated: false, reason: 'invalid_jwt', detail: 'jwt_expired', refreshable: true });
    expect(events[6]).toMatchObject({ sessionId });
    expect(events[7]).toMatchObject({ sessionId: newSessionId, leader: true, graceHit: false });
    expect(events[8]).toMatchObject({ sessionId: newSessionId, revoked: false });
    for (const event of events) expect(event.at).toBeGreaterThan(0);
  });

  test('requests without a session cookie, or with broken chunks, are authenticate events too', async () => {
    const { onEvent, events } = recorder();
    const { auth } = app({}, { onEvent });
    await auth.authenticate(new Request(`${APP}/`));
    await auth.authenticate(new Request(`${APP}/`, { headers: { cookie: 'wos-session.0=abc; wos-session.2=def' } }));
    expect(events).toMatchObject([
      { type: 'authenticate', authenticated: false, reason: 'no_session_cookie_provided' },
      { type: 'authenticate', authenticated: false, reason: 'invalid_cookie_chunks', detail: expect.any(String) },
    ]);
  });

  test('a sign-out without a cookie, and one revoking the session', async () => {
    const { onEvent, events } = recorder();
    const { sessions, auth } = app({ revokeOnSignOut: true }, { onEvent });
    await auth.handle(new Request(`${APP}/auth/sign-out`, { method: 'POST', headers: { origin: APP } }));
    const { stateValue, callback } = await startSignIn(auth, emulator.users.bob.email, sessions);
    const { session } = await finish(auth, callback, stateValue);
    await auth.handle(new Request(`${APP}/auth/sign-out`, { method: 'POST', headers: { cookie: `wos-session=${session}`, origin: APP } }));
    const signOuts = events.filter((event) => event.type === 'sign_out');
    expect(signOuts).toMatchObject([{ sessionId: undefined, revoked: false }, { sessionId: expect.stringMatching(/^session_/), revoked: true }]);
  });
});

describe('a callback that signs nobody in names its cause', () => {
  test('each cause, once', async () => {
    const { onEvent, events } = recorder();
    const { sessions, auth } = app({}, { onEvent });
    const visit = async (url: URL | string, cookie?: string) =>
      (await auth.handle(new Request(url, { headers: cookie ? { cookie } : {} })))!.status;

    const a = await startSignIn(auth, emulator.users.alice.email, sessions);
    const b = await startSignIn(auth, emulator.users.bob.email, sessions);
    expect(await visit(`${APP}/auth/callback?error=access_denied&error_description=no`)).toBe(400);
    expect(await visit(a.callback)).toBe(400);
    expect(await visit(a.callback, `${STATE_COOKIE}=${b.stateValue}`)).toBe(400);
    expect(await visit(a.callback, `${STATE_COOKIE}=${a.stateValue.slice(0, -3)}xyz`)).toBe(400);
    // Bob's code under Alice's own state: the state matches, the PKCE verifier does not.
    const forged = new URL(b.callback);
    forged.searchParams.set('state', a.callback.searchParams.get('state')!);
    expect(await visit(forged, `${STATE_COOKIE}=${a.stateValue}`)).toBe(400);
    expect(await visit(a.callback, `${STATE_COOKIE}=${a.stateValue}`)).toBe(302);
    // The same code again: the provider refuses it.
    expect(await visit(a.callback, `${STATE_COOKIE}=${a.stateValue}`)).toBe(400);
    const c = await startSignIn(auth, emulator.users.alice.email, sessions);
    // Past the state's ten minutes and the seal's clock skew allowance.
    clock += 700_000;
    expect(await visit(c.callback, `${STATE_COOKIE}=${c.stateValue}`)).toBe(400);

    const failed = events.filter((event) => event.type === 'sign_in.failed').map(({ at: _at, type: _type, ...rest }) => rest);
    expect(failed).toEqual([
      { cause: 'provider_error', providerCode: 'access_denied', retryable: false },
      { cause: 'missing_parameters', retryable: false },
      { cause: 'state_mismatch', retryable: false },
      { cause: 'state_invalid', retryable: false },
      { cause: 'pkce_failed', providerCode: 'invalid_code_verifier', retryable: false },
      { cause: 'code_exchange_failed', providerCode: 'invalid_code', retryable: false },
      { cause: 'state_expired', retryable: false },
    ]);
    expect(events.filter((event) => event.type === 'sign_in.succeeded')).toHaveLength(1);
  });
});

describe('what is printed', () => {
  test('by default: a sign-in that failed on the server is a warning; a stale link and a good sign-in print nothing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const { sessions, auth } = app();
    const a = await startSignIn(auth, emulator.users.alice.email, sessions);
    await auth.handle(new Request(a.callback));
    expect(warn).not.toHaveBeenCalled();
    await finish(auth, a.callback, a.stateValue);
    await finish(auth, a.callback, a.stateValue);
    expect(warn.mock.calls).toEqual([['sealed-session sign_in.failed cause="code_exchange_failed" providerCode="invalid_code" retryable=false']]);
    expect(info).not.toHaveBeenCalled();
  });

  test('debug: true on the handler prints its events; the manager stays silent', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'info').mockImplementation((line: string) => void lines.push(line));
    vi.spyOn(console, 'warn').mockImplementation((line: string) => void lines.push(line));
    const { sessions, auth } = app({ debug: true });
    const a = await startSignIn(auth, emulator.users.alice.email, sessions);
    await finish(auth, a.callback, a.stateValue);
    expect(lines[0]).toBe(`sealed-session sign_in.started redirectUri="${APP}/auth/callback" screenHint="sign-in"`);
    expect(lines[1]).toMatch(/^sealed-session sign_in\.succeeded userId="user_\w+" sessionId="session_\w+" durationMs=[\d.]+$/);
    expect(lines).toHaveLength(2);
  });
});

describe('whose listener hears what', () => {
  test('a handler with its own listener hears its requests; JWKS fetches go to the manager’s', async () => {
    const mine = recorder();
    const managers = recorder();
    const { sessions, auth } = app({ onEvent: mine.onEvent }, { onEvent: managers.onEvent });
    const a = await startSignIn(auth, emulator.users.alice.email, sessions);
    const { session } = await finish(auth, a.callback, a.stateValue);
    await auth.authenticate(new Request(`${APP}/`, { headers: { cookie: `wos-session=${session}` } }));
    await sessions.loadSealedSession({ sessionData: session }).authenticate();
    expect(mine.types()).toEqual(['sign_in.started', 'sign_in.succeeded', 'authenticate']);
    expect(managers.types()).toEqual(['jwks.fetched', 'authenticate']);
  });

  test('without options of its own, the handler sends everything to the manager’s listener', async () => {
    const managers = recorder();
    const { sessions, auth } = app({}, { onEvent: managers.onEvent });
    const a = await startSignIn(auth, emulator.users.bob.email, sessions);
    await finish(auth, a.callback, a.stateValue);
    expect(managers.types()).toEqual(['sign_in.started', 'sign_in.succeeded']);
  });

  test('a listener that throws breaks no route', async () => {
    const { sessions, auth } = app({ onEvent: () => { throw new Error('listener bug'); } });
    const a = await startSignIn(auth, emulator.users.alice.email, sessions);
    expect((await finish(auth, a.callback, a.stateValue)).status).toBe(302);
  });
});

describe('no secret in any event', () => {
  test('the JSON of every event above holds no cookie, token, password, API key, code, verifier, state or email', () => {
    expect(new Set(seen.map((event) => event.type))).toEqual(
      new Set(['sign_in.started', 'sign_in.succeeded', 'sign_in.failed', 'authenticate', 'jwks.fetched', 'refresh.started', 'refresh.succeeded', 'sign_out']),
    );
    expect(secrets.size).toBeGreaterThan(20);
    for (const event of seen) {
      const json = JSON.stringify(event);
      for (const secret of secrets) expect(json.includes(secret), `${event.type} holds a secret`).toBe(false);
    }
  });
});
