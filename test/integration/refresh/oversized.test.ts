/**
 * A refresh whose new session no longer fits the cookie (the provider's user grew: here, its
 * metadata at the emulator) has already spent the old refresh token. The handler must not
 * throw: it serves the refreshed session with `cookieError: 'cookie_too_large'`, keeps the old
 * cookie (the grace window answers it with the same session), and the routes answer 413, never
 * a 5xx.
 */
import { describe, expect, test } from 'vitest';
import type { SessionHandlerOptions } from '../../../src/index.js';
import { benchForFile, EXPIRED_OFFSET_MS, me, sealedCookieFor, setCookieValue, startApp } from './helpers.js';

/** Inside the 60 s refresh buffer of a one-hour token, not yet expired. */
const DUE_SOON_OFFSET_MS = 3600_000 - 30_000;

const bench = benchForFile();
let users = 0;

async function api(path: string, init: { method: string; body: unknown }) {
  const response = await fetch(new URL(path, bench.emulator.url), {
    method: init.method,
    headers: { authorization: `Bearer ${bench.emulator.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(init.body),
  });
  if (!response.ok) throw new Error(`emulator ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** `bytes` of metadata over ten keys, as the provider could hand back for a user. */
function metadata(bytes: number): Record<string, string> {
  const per = Math.ceil(bytes / 10);
  return Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'x'.repeat(per)]));
}

/** A new user, signed in with a small profile; its metadata then grows to `bytes` at the provider. */
async function grownSession(bytes: number): Promise<{ cookie: string; email: string }> {
  const email = `grown-${++users}@big.test`;
  const user = await api('/user_management/users', { method: 'POST', body: { email, email_verified: true } });
  const cookie = await sealedCookieFor(bench.reference, email);
  await api(`/user_management/users/${user.id}`, { method: 'PUT', body: { metadata: metadata(bytes) } });
  return { cookie, email };
}

function app(handler: Partial<SessionHandlerOptions> = {}) {
  return startApp(bench, { handler });
}

describe('a refreshed session that outgrew the cookie, through the request handler', () => {
  test.each([
    { bytes: 12_000, maxChunks: undefined, offset: EXPIRED_OFFSET_MS },
    { bytes: 12_000, maxChunks: undefined, offset: DUE_SOON_OFFSET_MS },
    { bytes: 30_000, maxChunks: undefined, offset: EXPIRED_OFFSET_MS },
    { bytes: 4_000, maxChunks: 1, offset: EXPIRED_OFFSET_MS },
    { bytes: 4_000, maxChunks: 1, offset: DUE_SOON_OFFSET_MS },
    { bytes: 7_000, maxChunks: 2, offset: EXPIRED_OFFSET_MS },
  ])('$bytes bytes of metadata, maxChunks $maxChunks, clock +$offset ms: served, old cookie kept, one grant', async ({ bytes, maxChunks, offset }) => {
    const server = await app(maxChunks === undefined ? {} : { cookie: { maxChunks } });
    const { cookie, email } = await grownSession(bytes);
    const grantsBefore = bench.proxy.state.refreshGrants;
    bench.offsetMs = offset;

    const first = await me(server.origin, cookie);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ authenticated: true, email, refreshed: true, cookieError: 'cookie_too_large' });
    expect(first.setCookies).toEqual([]);

    // The old cookie still reaches the session through the grace window, without another grant.
    const again = await me(server.origin, cookie);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ authenticated: true, email });
    expect(again.setCookies).toEqual([]);
    expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(1);
  });

  test.each([
    { bytes: 60_000, offset: EXPIRED_OFFSET_MS },
    { bytes: 400_000, offset: EXPIRED_OFFSET_MS },
  ])('$bytes bytes, too large even to seal, clock +$offset ms: a terminal cookie_too_large, no throw, one grant', async ({ bytes, offset }) => {
    const server = await app();
    const { cookie } = await grownSession(bytes);
    const grantsBefore = bench.proxy.state.refreshGrants;
    bench.offsetMs = offset;
    for (let i = 0; i < 3; i++) {
      const reply = await me(server.origin, cookie);
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({ authenticated: false, reason: 'cookie_too_large', retryable: false });
      expect(reply.setCookies.some((c) => c.startsWith('wos-session=;'))).toBe(true);
    }
    expect(bench.proxy.state.refreshGrants - grantsBefore).toBe(1);
  });

  test('a token still valid is served as it is when its refresh is too large to seal', async () => {
    const server = await app();
    const { cookie, email } = await grownSession(60_000);
    bench.offsetMs = DUE_SOON_OFFSET_MS;
    const reply = await me(server.origin, cookie);
    expect(reply).toMatchObject({ status: 200, body: { authenticated: true, email, refreshed: false }, setCookies: [] });
  });

  test.each([
    { bytes: 2_000, maxChunks: undefined },
    { bytes: 6_000, maxChunks: undefined },
    { bytes: 6_000, maxChunks: 3 },
  ])('$bytes bytes that still fit in maxChunks $maxChunks are written', async ({ bytes, maxChunks }) => {
    const server = await app(maxChunks === undefined ? {} : { cookie: { maxChunks } });
    const { cookie } = await grownSession(bytes);
    bench.offsetMs = EXPIRED_OFFSET_MS;
    const reply = await me(server.origin, cookie);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ authenticated: true, refreshed: true });
    expect(reply.body.cookieError).toBeUndefined();
    const written = reply.setCookies.filter((c) => c.startsWith('wos-session') && !/Max-Age=0/i.test(c));
    expect(written.length).toBeGreaterThanOrEqual(1);
    expect(written.length).toBeLessThanOrEqual(maxChunks ?? 3);
  });
});

describe('the routes that write a session answer 413, never a 5xx', () => {
  async function post(origin: string, path: string, cookie: string, fields: Record<string, string>) {
    return fetch(new URL(path, origin), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: `wos-session=${cookie}`, origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });
  }

  test('POST /auth/refresh and /auth/switch-organization', async () => {
    const server = await app();
    for (const [path, fields] of [
      ['/auth/refresh', { returnTo: '/' }],
      ['/auth/switch-organization', { organizationId: bench.emulator.organizations.acme.id, returnTo: '/' }],
    ] as const) {
      const { cookie } = await grownSession(20_000);
      bench.offsetMs = EXPIRED_OFFSET_MS;
      const response = await post(server.origin, path, cookie, fields);
      expect(response.status).toBe(413);
      expect(setCookieValue(response)).toBeUndefined();
      expect(await response.text()).toContain('too large');
      bench.offsetMs = 0;
    }
  });

  test('GET /auth/session serves the session with the error', async () => {
    const server = await app();
    const { cookie, email } = await grownSession(20_000);
    bench.offsetMs = EXPIRED_OFFSET_MS;
    const response = await fetch(new URL('/auth/session', server.origin), { headers: { cookie: `wos-session=${cookie}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ authenticated: true, user: { email }, cookieError: 'cookie_too_large' });
  });

  test('the sign-in callback of a user too large for the cookie', async () => {
    const server = await app();
    const email = `grown-${++users}@big.test`;
    await api('/user_management/users', { method: 'POST', body: { email, email_verified: true, metadata: metadata(20_000) } });
    const signIn = await fetch(new URL(`/auth/sign-in?loginHint=${encodeURIComponent(email)}`, server.origin), { redirect: 'manual' });
    const state = setCookieValue(signIn, 'wos-auth-state');
    const authorize = await fetch(signIn.headers.get('location')!, { redirect: 'manual' });
    const callback = await fetch(authorize.headers.get('location')!, { redirect: 'manual', headers: { cookie: `wos-auth-state=${state}` } });
    expect(callback.status).toBe(413);
    expect(setCookieValue(callback)).toBeUndefined();
  });
});
