/**
 * The conformance suite every refresh store passes: the `RefreshStore` rules, each probed with
 * many variants and several connections (as several app instances would hold), then the refresh
 * storm over real HTTP against the WorkOS emulator, across app instances sharing the store.
 *
 * A store under test is one {@link StoreTarget} in a test file of its own that calls
 * {@link describeStore}; its servers start once per file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import type { SessionManager } from '../../../src/index.js';
import { RefreshCoordinator } from '../../../src/refresh/index.js';
import type { RefreshOutcome, RefreshStore } from '../../../src/session/stores/types.js';
import { startProxy } from '../../support/proxy.js';
import { startHonoApp } from '../../support/web-app.js';
import { EXPIRED_OFFSET_MS, type Provider, referenceManager, sealedCookieFor, storm } from '../refresh/helpers.js';

/** App instances serving the test app (`GET /api/me`), all sharing one store. */
export interface StoreApps {
  origins: string[];
  close(): Promise<void>;
}

/** A store under test, and what it needs running. */
export interface StoreTarget {
  name: string;
  /** Starts what the store needs (servers), once per test file. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The store as one app instance holds it: a connection of its own where the store has connections. */
  connect(): Promise<RefreshStore>;
  /**
   * `count` app instances sharing the store, on the expired clock. Defaults to Node apps (Hono)
   * with a coordinator on {@link connect}; a store that lives in another runtime starts its own.
   */
  apps?(provider: Provider, count: number): Promise<StoreApps>;
}

const ok: RefreshOutcome = { ok: true, sealedSession: 'Fe26.2**sealed~2', sessionId: 'session_01' };
const dead: RefreshOutcome = { ok: false, reason: 'invalid_grant', retryable: false };
const busy: RefreshOutcome = { ok: false, reason: 'server_error', retryable: true };
const slowDown: RefreshOutcome = { ok: false, reason: 'rate_limit_exceeded', retryable: true, retryAfter: 3 };
const fresh = { lockTtlMs: 5_000, acceptRetryable: false };
const waiting = { ...fresh, acceptRetryable: true };

/** Keys as the coordinator makes them (43 base64url characters), and odd ones a store must keep apart too. */
const KEYS: Record<string, string> = {
  'a one-letter key': 'k',
  'a key with a colon': 'a:b',
  'a base64url key': 'x-y_z0AZ',
  'a non-ASCII key': 'ünï',
  'a key named like the sign-out prefix': 'ended',
  'a 43-character key': 'A'.repeat(43),
  'a 43-character key of punctuation': `${'-'.repeat(21)}_${'9'.repeat(21)}`,
  'a 512-character key': 'k'.repeat(512),
};
const LABELS = Object.keys(KEYS);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const unique = (label: string) => `${KEYS[label] ?? label}-${crypto.randomUUID()}`;

async function nodeApps(target: StoreTarget, provider: Provider, count: number): Promise<StoreApps> {
  const apps = await Promise.all(
    Array.from({ length: count }, async () => {
      const coordinator = new RefreshCoordinator({ store: await target.connect(), pollIntervalMs: 20 });
      return startHonoApp(provider, { now: () => Date.now() + EXPIRED_OFFSET_MS, handler: { coordinator } });
    }),
  );
  return { origins: apps.map((app) => app.origin), close: async () => void (await Promise.all(apps.map((app) => app.close()))) };
}

/** Registers the conformance suite of `target`. */
export function describeStore(target: StoreTarget): void {
  describe(`refresh store conformance: ${target.name}`, () => {
    let a: RefreshStore;
    let b: RefreshStore;

    beforeAll(async () => {
      await target.start();
      [a, b] = [await target.connect(), await target.connect()];
    });
    afterAll(async () => {
      await target.stop();
    });

    describe('claim and settle', () => {
      it.each(LABELS)('locks %s for one owner, reports it to the others, then hands its outcome to every claim', async (label) => {
        const key = unique(label);
        expect(await a.claim(key, 'a', fresh)).toEqual({ status: 'acquired' });
        for (const [store, owner] of [[a, 'a'], [b, 'b'], [b, 'c']] as const) {
          expect(await store.claim(key, owner, fresh)).toEqual({ status: 'locked' });
        }
        await a.settle(key, 'a', ok, 5_000);
        for (const [store, options] of [[a, fresh], [b, fresh], [b, waiting]] as const) {
          expect(await store.claim(key, 'c', options)).toEqual({ status: 'outcome', outcome: ok });
        }
      });

      it('keeps keys apart: an outcome or a lock under one key says nothing about another', async () => {
        const keys = LABELS.map(unique);
        await a.claim(keys[0]!, 'a', fresh);
        await a.settle(keys[1]!, 'a', ok, 5_000);
        for (const key of keys.slice(2)) expect(await b.claim(key, 'b', fresh)).toEqual({ status: 'acquired' });
        expect(await b.claim(keys[0]!, 'b', fresh)).toEqual({ status: 'locked' });
      });

      it('grants the lock to exactly one of 60 concurrent owners on two connections', async () => {
        const key = unique('race');
        const claims = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).claim(key, `o${i}`, fresh)));
        expect(claims.filter((c) => c.status === 'acquired')).toHaveLength(1);
        expect(claims.filter((c) => c.status === 'locked')).toHaveLength(59);
      });

      it('lets another owner take an expired lock, and never deletes the new holder’s lock', async () => {
        const key = unique('expired');
        await a.claim(key, 'a', { ...fresh, lockTtlMs: 100 });
        await sleep(250);
        expect(await b.claim(key, 'b', fresh)).toEqual({ status: 'acquired' });
        await a.settle(key, 'a', busy, 5_000); // the old holder comes back late
        expect(await a.claim(key, 'w', waiting)).toEqual({ status: 'locked' });
        await b.settle(key, 'b', ok, 5_000);
        expect(await a.claim(key, 'w', fresh)).toEqual({ status: 'outcome', outcome: ok });
      });

      it('forgets an outcome after its ttl', async () => {
        const key = unique('ttl');
        await a.settle(key, 'a', ok, 100);
        await sleep(250);
        expect(await b.claim(key, 'b', fresh)).toEqual({ status: 'acquired' });
      });
    });

    describe('which outcome wins', () => {
      it.each([
        ['a success, then a terminal failure', [ok, dead], ok],
        ['a success, then a retryable failure', [ok, busy], ok],
        ['a success, then a back-off', [ok, slowDown], ok],
        ['a terminal failure, then a success', [dead, ok], ok],
        ['a terminal failure, then a retryable failure', [dead, busy], dead],
        ['two terminal failures', [dead, { ...dead, reason: 'invalid_client' }], { ...dead, reason: 'invalid_client' }],
      ] as const)('%s: claims see the right one', async (_, [first, second], expected) => {
        const key = unique('wins');
        await a.settle(key, 'a', first, 5_000);
        await b.settle(key, 'b', second, 5_000);
        for (const options of [fresh, waiting]) expect(await a.claim(key, 'c', options)).toEqual({ status: 'outcome', outcome: expected });
      });

      it('shows a retryable failure to waiters only, and drops it when a new attempt starts', async () => {
        const key = unique('retry');
        await a.claim(key, 'a', fresh);
        await a.settle(key, 'a', busy, 5_000);
        expect(await b.claim(key, 'w', waiting)).toEqual({ status: 'outcome', outcome: busy });
        expect(await b.claim(key, 'n', fresh)).toEqual({ status: 'acquired' });
        expect(await a.claim(key, 'w', waiting)).toEqual({ status: 'locked' });
      });

      it('does not set a retry marker under someone else’s lock', async () => {
        const key = unique('foreign');
        await a.claim(key, 'a', fresh);
        await b.settle(key, 'b', busy, 5_000);
        expect(await b.claim(key, 'w', waiting)).toEqual({ status: 'locked' });
      });

      it('shows a back-off to every claim with the whole seconds left, then lets the next claim in', async () => {
        const key = unique('backoff');
        await a.claim(key, 'a', fresh);
        await a.settle(key, 'a', slowDown, 1_500);
        for (const [store, options] of [[a, fresh], [b, waiting], [b, fresh]] as const) {
          const claim = await store.claim(key, 'n', options);
          expect(claim).toMatchObject({ status: 'outcome', outcome: { ok: false, reason: 'rate_limit_exceeded', retryable: true } });
          const left = claim.status === 'outcome' && !claim.outcome.ok ? claim.outcome.retryAfter : undefined;
          expect(left === 1 || left === 2).toBe(true);
        }
        await sleep(1_700);
        expect(await b.claim(key, 'n', fresh)).toEqual({ status: 'acquired' });
      });
    });

    describe('renew', () => {
      it('extends the lock for its owner only, and not after it was released', async () => {
        const key = unique('renew');
        await a.claim(key, 'a', { ...fresh, lockTtlMs: 300 });
        expect(await b.renew(key, 'b', 60_000)).toBe(false);
        for (let i = 0; i < 4; i++) {
          await sleep(150);
          expect(await a.renew(key, 'a', 300)).toBe(true);
        }
        expect(await b.claim(key, 'b', fresh)).toEqual({ status: 'locked' });
        await a.settle(key, 'a', ok, 5_000);
        expect(await a.renew(key, 'a', 300)).toBe(false);
      });

      it('does not revive a lock that expired', async () => {
        const key = unique('lapsed');
        await a.claim(key, 'a', { ...fresh, lockTtlMs: 100 });
        await sleep(250);
        expect(await a.renew(key, 'a', 5_000)).toBe(false);
        expect(await b.claim(key, 'b', fresh)).toEqual({ status: 'acquired' });
      });
    });

    describe('sign-out markers', () => {
      it(`keeps a sign-out for its ttl, apart from other sessions and from refresh keys (${LABELS.length} kinds of key)`, async () => {
        const sessions = LABELS.map(unique);
        for (const session of sessions) expect(await b.isSessionEnded(session)).toBe(false);
        await Promise.all(sessions.map((session) => a.endSession(session, 1_000)));
        for (const session of sessions) {
          expect(await b.isSessionEnded(session)).toBe(true);
          expect(await b.isSessionEnded(`${session}-other`)).toBe(false);
          expect(await b.claim(session, 'b', fresh)).toEqual({ status: 'acquired' });
        }
        await sleep(1_200);
        for (const session of sessions) expect(await a.isSessionEnded(session)).toBe(false);
      });
    });

    describe('the refresh storm over HTTP, three app instances on the store', () => {
      const REQUESTS = 120;
      let emulator: Awaited<ReturnType<typeof startEmulator>>;
      let proxy: Awaited<ReturnType<typeof startProxy>>;
      let reference: SessionManager;
      let apps: StoreApps;

      beforeAll(async () => {
        emulator = await startEmulator();
        proxy = await startProxy(emulator.url);
        const provider = { baseUrl: proxy.url, issuer: emulator.url, clientId: emulator.clientId, apiKey: emulator.apiKey };
        reference = referenceManager(provider);
        apps = await (target.apps ? target.apps(provider, 3) : nodeApps(target, provider, 3));
      });
      afterAll(async () => {
        await apps?.close();
        await proxy?.close();
        await emulator?.close();
      });

      it(`${REQUESTS} concurrent requests on one expired session: one grant upstream, every request authenticated with one new cookie`, async () => {
        const cookie = await sealedCookieFor(reference, emulator.users.alice.email);
        const grantsBefore = proxy.state.refreshGrants;

        const replies = await storm(apps.origins, cookie, REQUESTS);

        expect(proxy.state.refreshGrants - grantsBefore).toBe(1);
        expect(replies.filter((r) => r.status !== 200)).toEqual([]);
        for (const reply of replies) expect(reply.body).toMatchObject({ authenticated: true, refreshed: true, email: 'alice@acme.test' });
        const cookies = new Set(replies.map((r) => r.newCookie));
        expect(cookies.size).toBe(1);
        expect([...cookies][0]).toMatch(/^Fe26\.2\*/);

        // Stragglers with the old cookie, on every instance, get the same cookie from the grace window.
        const late = await storm(apps.origins, cookie, apps.origins.length * 2);
        for (const reply of late) expect(reply).toMatchObject({ status: 200, newCookie: [...cookies][0] });
        expect(proxy.state.refreshGrants - grantsBefore).toBe(1);
      });

      it(`${REQUESTS} concurrent requests on a spent session: one grant upstream, every request signed out with its cookie cleared`, async () => {
        const cookie = await sealedCookieFor(reference, emulator.users.bob.email);
        // Spent behind the apps' back, as another device holding a copy of the cookie would.
        expect(await reference.loadSealedSession({ sessionData: cookie }).refresh()).toMatchObject({ authenticated: true });
        const grantsBefore = proxy.state.refreshGrants;

        const replies = await storm(apps.origins, cookie, REQUESTS);

        expect(proxy.state.refreshGrants - grantsBefore).toBe(1);
        for (const reply of replies) expect(reply).toMatchObject({ status: 401, body: { authenticated: false, reason: 'invalid_grant' }, newCookie: '' });
      });
    });
  });
}
