import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startFaultServer } from '../../support/fault-server.js';
import { createSigner, type TestSigner } from '../../support/tokens.js';
import { burst, clocked, cookiesSignedBy, expectAuthenticated, expectCookieKept, expectRetryable, type FaultServer, handlerBurst } from './jwks-helpers.js';

// The provider starts signing with a key the app has not fetched yet. Whatever the state of the
// app's key cache, no one is signed out for it: requests wait for (or join) a refetch, or get a
// retryable answer that keeps the cookie, until keys fetched after the token was issued lack it.
const COOLDOWN_MS = 10_000;
const MAX_AGE_MS = 600_000;
const DISTINCT = 20;

let old: TestSigner;
let rotated: TestSigner;
let unpublished: TestSigner;
let server: FaultServer;
let published: TestSigner[];

beforeAll(async () => {
  [old, rotated, unpublished] = await Promise.all([createSigner('k-old'), createSigner('k-new'), createSigner('k-never')]);
  server = await startFaultServer({ jwks: () => ({ keys: published.flatMap((signer) => signer.jwks.keys) }) });
});
afterEach(() => {
  server.state.jwksFault = 'none';
});
afterAll(() => server.close());

/** An app whose keys were fetched at T0, when only the old key was published; then the new key appears. */
async function warmBeforeRotation() {
  published = [old];
  const app = clocked(server);
  await app.sessions.jwks.refresh();
  published = [old, rotated];
  return app;
}

describe('a key published after the app fetched its keys', () => {
  test('warm keys, within the cooldown: retryable, the cookie kept, no fetch; after it: one fetch for all, signed in', async () => {
    const app = await warmBeforeRotation();
    app.advance(2_000);
    const cookies = await cookiesSignedBy(app, server, rotated, DISTINCT);
    const first = await burst(app, server, cookies);
    expectRetryable(first.results);
    expect(first.fetches).toBe(0);
    const viaHandler = await handlerBurst(app, server, cookies);
    expectCookieKept(viaHandler.auths);
    expect(viaHandler.fetches).toBe(0);
    // Tokens of the old key are not held up meanwhile.
    expectAuthenticated((await burst(app, server, await cookiesSignedBy(app, server, old, DISTINCT))).results);

    app.advance(COOLDOWN_MS);
    // The same cookies: nothing negative was remembered of them.
    const later = await burst(app, server, cookies);
    expectAuthenticated(later.results);
    expect(later.fetches).toBe(1);
    const handled = await handlerBurst(app, server, cookies);
    for (const { session, setCookies } of handled.auths) {
      expect(session.authenticated).toBe(true);
      expect(setCookies).toEqual([]);
    }
  });

  test('many moments within the cooldown: never signed out, never a fetch', async () => {
    const app = await warmBeforeRotation();
    for (const step of [1, 500, 1_500, 3_000, 4_000]) {
      app.advance(step);
      const cookies = await cookiesSignedBy(app, server, rotated, 5, 0);
      const { auths, fetches } = await handlerBurst(app, server, cookies);
      expectCookieKept(auths);
      expect(fetches).toBe(0);
    }
  });

  test('cold cache: the requests share one fetch and are signed in', async () => {
    published = [old, rotated];
    const app = clocked(server);
    const cookies = await cookiesSignedBy(app, server, rotated, DISTINCT);
    const { results, fetches } = await burst(app, server, cookies);
    expectAuthenticated(results);
    expect(fetches).toBe(1);
  });

  test('stale keys: the requests join the background fetch and are signed in', async () => {
    const app = await warmBeforeRotation();
    app.advance(MAX_AGE_MS + 1);
    const cookies = await cookiesSignedBy(app, server, rotated, DISTINCT);
    const { auths, fetches } = await handlerBurst(app, server, cookies);
    expect(fetches).toBe(1);
    for (const { session, setCookies } of auths) {
      expect(session.authenticated).toBe(true);
      expect(setCookies).toEqual([]);
    }
  });

  for (const fault of ['status500', 'reset', 'garbage', 'html'] as const) {
    test(`JWKS failing (${fault}): the new key's tokens stay retryable through the outage, the old key's keep working, and recovery signs them in`, async () => {
      const app = await warmBeforeRotation();
      server.state.jwksFault = fault;
      const rotatedCookies = await cookiesSignedBy(app, server, rotated, DISTINCT, 0);
      const oldCookies = await cookiesSignedBy(app, server, old, DISTINCT, 0);
      let fetches = 0;
      // Past the cooldown, then long after the tokens were issued: still never terminal.
      for (const step of [COOLDOWN_MS, 30_000, 60_000, MAX_AGE_MS]) {
        app.advance(step);
        const rotatedBurst = await handlerBurst(app, server, rotatedCookies, { background: true });
        expectCookieKept(rotatedBurst.auths);
        expectAuthenticated((await burst(app, server, oldCookies, { background: true })).results);
        fetches += rotatedBurst.fetches;
      }
      // Each step is past the cooldown and past the backoff of the failure before it.
      expect(fetches).toBe(4);

      server.state.jwksFault = 'none';
      app.advance(30_000);
      const recovered = await burst(app, server, rotatedCookies, { background: true });
      expectAuthenticated(recovered.results);
      expect(recovered.fetches).toBe(1);
    });
  }
});

describe('a kid that keys fetched after the token was issued lack: terminal, and only then', () => {
  test('token issued before the keys were fetched: invalid_jwt at once, no fetch, the handler clears the cookie', async () => {
    const app = await warmBeforeRotation();
    app.advance(2_000);
    const cookies = await cookiesSignedBy(app, server, unpublished, 5, 60_000);
    const { results, fetches } = await burst(app, server, cookies);
    for (const result of results) {
      expect(result).toEqual({ authenticated: false, reason: 'invalid_jwt', detail: 'jwt_unknown_key', refreshable: false, retryable: false });
    }
    expect(fetches).toBe(0);
    const { auths } = await handlerBurst(app, server, cookies);
    for (const { session, setCookies } of auths) {
      expect(session).toMatchObject({ reason: 'invalid_jwt', retryable: false });
      expect(setCookies.some((header) => /Max-Age=0/i.test(header))).toBe(true);
    }
  });

  test('token issued after the keys were fetched: retryable within the cooldown, terminal once a refetch lacks the kid', async () => {
    const app = await warmBeforeRotation();
    app.advance(2_000);
    const cookies = await cookiesSignedBy(app, server, unpublished, 5, 1_000);
    expectRetryable((await burst(app, server, cookies)).results);
    app.advance(COOLDOWN_MS);
    const { results, fetches } = await burst(app, server, cookies);
    expect(fetches).toBe(1);
    for (const result of results) expect(result).toMatchObject({ reason: 'invalid_jwt', detail: 'jwt_unknown_key', retryable: false });
  });

  test('a flood of random kids costs at most one fetch per cooldown', async () => {
    const app = await warmBeforeRotation();
    let fetches = 0;
    for (let round = 0; round < 6; round++) {
      app.advance(COOLDOWN_MS / 2);
      const forged = await Promise.all(
        Array.from({ length: 10 }, async (_, index) => {
          const kid = `random-${round}-${index}`;
          const signer: TestSigner = { ...old, kid, sign: (payload, header) => old.sign(payload, { ...header, kid }) };
          return (await cookiesSignedBy(app, server, signer, 1, 0))[0]!;
        }),
      );
      const { results, fetches: count } = await burst(app, server, forged);
      for (const result of results) expect(result.authenticated).toBe(false);
      fetches += count;
    }
    expect(fetches).toBeLessThanOrEqual(3);
  });
});
