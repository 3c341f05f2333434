/**
 * The event stream of the core, through the public API, against the provider faked at the
 * `fetch` edge: what `authenticate()`, `refresh()` (alone and single flight), the JWKS cache and
 * the refresh coordinator emit, once each where they should; that a listener cannot break a
 * call; what `debug` prints; and that no event carries a secret.
 */
import { decodeJwt } from 'jose';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type { SessionEvent, SessionManager } from '../../../src/index.js';
import { RefreshCoordinator, createMemoryRefreshStore, type RefreshStore } from '../../../src/refresh/index.js';
import { createSigner } from '../../support/tokens.js';
import { fakeProviderForFile, PASSWORD, T0 } from './helpers.js';

const fake = fakeProviderForFile();
const { manager } = fake;
/** Every secret a test has handled: no event may contain one. */
const secrets = new Set<string>([PASSWORD]);
/** Every event any test received. */
const seen: SessionEvent[] = [];

beforeAll(() => {
  if (fake.provider.apiKey) secrets.add(fake.provider.apiKey);
});
afterEach(() => {
  vi.restoreAllMocks();
});

function recorder() {
  const events: SessionEvent[] = [];
  const onEvent = (event: SessionEvent) => {
    events.push(event);
    seen.push(event);
  };
  const ofType = <T extends SessionEvent['type']>(type: T) => events.filter((event): event is Extract<SessionEvent, { type: T }> => event.type === type);
  return { events, onEvent, ofType };
}

let users = 0;

async function signIn(sessions: SessionManager) {
  const user = fake.provider.addUser({ email: `events${++users}@example.test` }, { org_1: { role: 'admin' } });
  const code = fake.provider.issueCode(user.id, { organizationId: 'org_1' });
  const auth = await sessions.authenticateWithCode({ code });
  const cookie = await sessions.sealSessionFromAuthResponse(auth);
  for (const secret of [code, cookie, auth.accessToken, auth.refreshToken, user.email]) secrets.add(secret);
  return { user, cookie, sessionId: decodeJwt(auth.accessToken).sid as string };
}

const expire = () => {
  fake.clock += 306_000;
};

describe('authenticate events', () => {
  test('one per call, with the outcome: signed in with its ids, or the reason and detail', async () => {
    const { onEvent, ofType } = recorder();
    const sessions = manager({ onEvent });
    const { user, cookie, sessionId } = await signIn(sessions);

    await sessions.loadSealedSession({ sessionData: cookie }).authenticate();
    await sessions.loadSealedSession({ sessionData: '' }).authenticate();
    await sessions.loadSealedSession({ sessionData: 'garbage' }).authenticate();
    expire();
    await sessions.loadSealedSession({ sessionData: cookie }).authenticate();

    expect(ofType('authenticate').map(({ at: _at, ...event }) => event)).toEqual([
      { type: 'authenticate', authenticated: true, userId: user.id, sessionId, organizationId: 'org_1' },
      { type: 'authenticate', authenticated: false, reason: 'no_session_cookie_provided', refreshable: false },
      { type: 'authenticate', authenticated: false, reason: 'invalid_session_cookie', detail: 'seal_malformed', refreshable: false },
      { type: 'authenticate', authenticated: false, reason: 'invalid_jwt', detail: 'jwt_expired', refreshable: true },
    ]);
    expect(ofType('authenticate').every((event) => typeof event.at === 'number')).toBe(true);
  });

  test('a repeated cookie answered from the caches still emits one event per call', async () => {
    const { onEvent, ofType } = recorder();
    const sessions = manager({ onEvent });
    const { cookie } = await signIn(sessions);
    for (let i = 0; i < 5; i++) await sessions.loadSealedSession({ sessionData: cookie }).authenticate();
    expect(ofType('authenticate')).toHaveLength(5);
  });
});

describe('refresh events', () => {
  test('a refresh alone: started once, succeeded once, as leader, with its duration', async () => {
    const { onEvent, ofType } = recorder();
    const sessions = manager({ onEvent });
    const { cookie, sessionId } = await signIn(sessions);
    expire();
    const result = await sessions.loadSealedSession({ sessionData: cookie }).refresh();
    expect(result.authenticated).toBe(true);
    if (result.authenticated) secrets.add(result.sealedSession).add(result.accessToken).add(result.session.refreshToken);
    expect(ofType('refresh.started')).toEqual([{ type: 'refresh.started', at: fake.clock, sessionId, organizationId: 'org_1' }]);
    const [succeeded, ...more] = ofType('refresh.succeeded');
    expect(more).toEqual([]);
    expect(succeeded).toMatchObject({ sessionId, organizationId: 'org_1', leader: true, graceHit: false });
    expect(succeeded!.durationMs).toBeGreaterThanOrEqual(0);
  });

  test('twenty concurrent refreshes of one cookie: one started, one leader, nineteen followers; a late one is a grace hit', async () => {
    const { onEvent, ofType } = recorder();
    const sessions = manager({ onEvent });
    const coordinator = new RefreshCoordinator({ now: () => fake.clock });
    const { cookie } = await signIn(sessions);
    expire();
    const results = await Promise.all(Array.from({ length: 20 }, () => sessions.loadSealedSession({ sessionData: cookie }).refresh({ coordinator })));
    expect(results.every((result) => result.authenticated)).toBe(true);
    expect(ofType('refresh.started')).toHaveLength(1);
    const succeeded = ofType('refresh.succeeded');
    expect(succeeded).toHaveLength(20);
    expect(succeeded.filter((event) => event.leader)).toHaveLength(1);
    expect(succeeded.filter((event) => !event.leader && !event.graceHit)).toHaveLength(19);

    await sessions.loadSealedSession({ sessionData: cookie }).refresh({ coordinator });
    expect(ofType('refresh.started')).toHaveLength(1);
    expect(ofType('refresh.succeeded').at(-1)).toMatchObject({ leader: false, graceHit: true });
  });

  test('failures carry the reason and whether a retry can work', async () => {
    const { onEvent, ofType } = recorder();
    const sessions = manager({ onEvent });
    const revoked = await signIn(sessions);
    const down = await signIn(sessions);
    fake.provider.revoke(revoked.sessionId);
    expire();
    await sessions.loadSealedSession({ sessionData: revoked.cookie }).refresh();
    fake.provider.faultNext('/user_management/authenticate', { status: 503, body: { error: 'server_error' } });
    await sessions.loadSealedSession({ sessionData: down.cookie }).refresh();
    fake.provider.faultNext('/user_management/authenticate', 'network_error');
    await sessions.loadSealedSession({ sessionData: down.cookie }).refresh();
    expect(ofType('refresh.started')).toHaveLength(3);
    expect(ofType('refresh.failed').map(({ reason, retryable, leader }) => ({ reason, retryable, leader }))).toEqual([
      { reason: 'invalid_grant', retryable: false, leader: true },
      { reason: 'server_error', retryable: true, leader: true },
      { reason: 'network_error', retryable: true, leader: true },
    ]);
    expect(ofType('refresh.succeeded')).toEqual([]);
  });

  test('a junk cookie refreshes nothing: a failure, and no refresh started', async () => {
    const { onEvent, ofType } = recorder();
    const sessions = manager({ onEvent });
    await sessions.loadSealedSession({ sessionData: 'Fe26.2**junk' }).refresh();
    expect(ofType('refresh.started')).toEqual([]);
    expect(ofType('refresh.failed')).toMatchObject([{ reason: 'invalid_session_cookie', retryable: false }]);
  });
});

describe('JWKS events', () => {
  test('the first use, a manual refresh and an unknown kid each fetch once, with the key count', async () => {
    const { onEvent, ofType } = recorder();
    const sessions = manager({ onEvent, jwks: { cooldownMs: 0 } });
    const { cookie } = await signIn(sessions);
    await sessions.loadSealedSession({ sessionData: cookie }).authenticate();
    await sessions.jwks.refresh();
    const stranger = await createSigner('kid_not_published');
    const forged = await stranger.sign(fake.provider.claims({ sub: 'user_x' }), { kid: 'kid_not_published' });
    await sessions.jwks.getKey('kid_not_published', { publishedBy: fake.clock - 1 }).catch(() => undefined);
    secrets.add(forged);
    expect(ofType('jwks.fetched').map(({ trigger, keyCount }) => ({ trigger, keyCount }))).toEqual([
      { trigger: 'initial', keyCount: 1 },
      { trigger: 'manual', keyCount: 1 },
      { trigger: 'unknown_kid', keyCount: 1 },
    ]);
  });

  test('an outage is one jwks.failed per fetch, and authenticate says jwks_unavailable', async () => {
    const { onEvent, ofType } = recorder();
    const sessions = manager({ onEvent });
    const { cookie } = await signIn(sessions);
    fake.provider.jwksDown = true;
    const result = await sessions.loadSealedSession({ sessionData: cookie }).authenticate();
    expect(result).toMatchObject({ authenticated: false, reason: 'jwks_unavailable' });
    expect(ofType('jwks.failed')).toMatchObject([{ trigger: 'initial', reason: 'network_error' }]);
    expect(ofType('jwks.fetched')).toEqual([]);
  });

  test('an answer that is no key set is an invalid_response', async () => {
    const { onEvent, ofType } = recorder();
    const sessions = manager({ onEvent });
    const jwksPath = new URL(sessions.getJwksUrl()).pathname;
    for (const fault of [{ status: 500 }, { status: 200, body: 'not json' }, { status: 200, body: { keys: 'none' } }]) {
      fake.provider.faultNext(jwksPath, fault);
      await sessions.jwks.refresh().catch(() => undefined);
    }
    expect(ofType('jwks.failed').map((event) => event.reason)).toEqual(['invalid_response', 'invalid_response', 'invalid_response']);
  });
});

describe('store fallback', () => {
  const broken = (): RefreshStore => {
    const store = createMemoryRefreshStore();
    const fail = () => Promise.reject(new Error('store down'));
    return { ...store, claim: fail, settle: fail, renew: fail, endSession: fail, isSessionEnded: fail };
  };

  test('a failing store is reported as store.fallback, and the refresh still succeeds', async () => {
    const { onEvent, ofType } = recorder();
    const sessions = manager({ onEvent });
    const coordinator = new RefreshCoordinator({ store: broken(), onEvent });
    const { cookie } = await signIn(sessions);
    expire();
    const result = await sessions.loadSealedSession({ sessionData: cookie }).refresh({ coordinator });
    expect(result.authenticated).toBe(true);
    expect(ofType('store.fallback').length).toBeGreaterThanOrEqual(1);
    expect(ofType('store.fallback')[0]).toMatchObject({ code: 'ERR_REFRESH_STORE' });
    expect(ofType('refresh.succeeded')).toHaveLength(1);
  });

  test('without a listener the fallback is printed as a warning, once per failure, and nothing else is', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const sessions = manager();
    const coordinator = new RefreshCoordinator({ store: broken() });
    const { cookie } = await signIn(sessions);
    expire();
    await sessions.loadSealedSession({ sessionData: cookie }).refresh({ coordinator });
    expect(warn.mock.calls.length).toBeGreaterThanOrEqual(1);
    for (const [line] of warn.mock.calls) expect(line).toMatch(/^sealed-session store\.fallback code="ERR_REFRESH_STORE"$/);
    expect(info).not.toHaveBeenCalled();
  });

  test('with onStoreError, or debug: false, nothing is printed', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const sessions = manager();
    const errors: unknown[] = [];
    for (const coordinator of [new RefreshCoordinator({ store: broken(), onStoreError: (error) => errors.push(error) }), new RefreshCoordinator({ store: broken(), debug: false })]) {
      const { cookie } = await signIn(sessions);
      fake.clock += 306_000;
      expect((await sessions.loadSealedSession({ sessionData: cookie }).refresh({ coordinator })).authenticated).toBe(true);
    }
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('listeners and debug', () => {
  test('a listener that throws, or rejects, changes no result', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      for (const onEvent of [() => { throw new Error('listener bug'); }, async () => { throw new Error('async listener bug'); }]) {
        const sessions = manager({ onEvent });
        const { cookie } = await signIn(sessions);
        expect(await sessions.loadSealedSession({ sessionData: cookie }).authenticate()).toMatchObject({ authenticated: true });
        expire();
        expect(await sessions.loadSealedSession({ sessionData: cookie }).refresh()).toMatchObject({ authenticated: true });
        fake.clock = T0;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('debug: true prints one line per event, with its fields and no timestamp', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'info').mockImplementation((line: string) => void lines.push(line));
    vi.spyOn(console, 'warn').mockImplementation((line: string) => void lines.push(line));
    const { onEvent, events } = recorder();
    const sessions = manager({ debug: true, onEvent });
    const { cookie, user, sessionId } = await signIn(sessions);
    await sessions.loadSealedSession({ sessionData: cookie }).authenticate();
    await sessions.loadSealedSession({ sessionData: 'garbage' }).authenticate();
    expect(lines).toHaveLength(events.length);
    expect(lines).toContain(`sealed-session authenticate authenticated=true userId="${user.id}" sessionId="${sessionId}" organizationId="org_1"`);
    expect(lines).toContain('sealed-session authenticate authenticated=false reason="invalid_session_cookie" detail="seal_malformed" refreshable=false');
    expect(lines.filter((line) => line.startsWith('sealed-session jwks.fetched trigger="initial" durationMs='))).toHaveLength(1);
  });

  test('by default, and with debug: false, an authenticate or a refresh prints nothing', async () => {
    const print = [vi.spyOn(console, 'info'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'log')];
    for (const debug of [undefined, false]) {
      const sessions = manager({ debug });
      const { cookie } = await signIn(sessions);
      await sessions.loadSealedSession({ sessionData: cookie }).authenticate();
      await sessions.loadSealedSession({ sessionData: 'garbage' }).authenticate();
      expire();
      await sessions.loadSealedSession({ sessionData: cookie }).refresh();
      fake.clock = T0;
    }
    for (const spy of print) expect(spy).not.toHaveBeenCalled();
  });
});

describe('no secret in any event', () => {
  test('the JSON of every event of this file holds no password, key, code, token, cookie or email', () => {
    expect(seen.length).toBeGreaterThan(30);
    const types = new Set(seen.map((event) => event.type));
    expect([...types].sort()).toEqual(
      ['authenticate', 'jwks.failed', 'jwks.fetched', 'refresh.failed', 'refresh.started', 'refresh.succeeded', 'store.fallback'].sort(),
    );
    for (const event of seen) {
      const json = JSON.stringify(event);
      for (const secret of secrets) expect(json.includes(secret), `${event.type} holds a secret`).toBe(false);
    }
  });
});
