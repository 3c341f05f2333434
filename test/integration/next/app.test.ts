/**
 * The example Next.js 16 app (examples/nextjs), built and served by `next start`, driven in
 * Chromium against the WorkOS emulator: sign-in from a server-rendered page, a server
 * component reading `withAuth`, a client component reading `useAuth`, a route handler using
 * `authkit(request)`, an organization switch and a sign-out through server actions, and an
 * expired session refreshed once for many parallel requests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import { PASSWORD } from '../../support/web-app.js';
import { buildApp, startApp, type RunningApp } from './next-app.js';

/** Past the emulator's one-hour tokens, and past the refresh buffer. */
const EXPIRED_MS = 3_660_000;

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let app: RunningApp;
let profile: string;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  await buildApp();
  emulator = await startEmulator();
  app = await startApp(emulator, PASSWORD);
  profile = await mkdtemp(join(tmpdir(), 'sealed-session-next-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
}, 300_000);

afterAll(async () => {
  await context?.close();
  await app?.close();
  await emulator?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

const text = (testId: string) => page.getByTestId(testId).innerText();
const sessionCookie = async () => (await context.cookies(app.origin)).find((cookie) => cookie.name === 'wos-session');

/** How many sessions the emulator has opened for a user: one per sign-in and per refresh grant. */
async function sessionsOf(userId: string): Promise<number> {
  const response = await fetch(`${emulator.url}/user_management/users/${userId}/sessions`, { headers: { authorization: `Bearer ${emulator.apiKey}` } });
  return ((await response.json()) as { data: unknown[] }).data.length;
}

/** `count` parallel requests to the route handler from the page, with the browser's cookies. */
function parallelSessionRequests(count: number): Promise<Array<{ status: number; email?: string }>> {
  return page.evaluate(async (n) => {
    const replies = await Promise.all(Array.from({ length: n }, () => fetch('/api/session', { cache: 'no-store' })));
    return Promise.all(replies.map(async (reply) => ({ status: reply.status, ...((await reply.json()) as { email?: string }) })));
  }, count);
}

describe('the example Next.js app', () => {
  test('signed out: pages that need a session redirect to sign-in (no 500), whatever the request carries', async () => {
    const variants: Array<Record<string, string>> = [
      {},
      { cookie: 'wos-session=garbage' },
      { cookie: 'wos-session=Fe26.2*1*a*b*c**d*e~2' },
      { cookie: 'wos-session.0=abc; wos-session.2=def' },
      { 'x-workos-middleware': 'true', 'x-workos-session': 'Fe26.2*forged' },
      { 'x-url': 'https://evil.example/', 'x-redirect-uri': 'https://evil.example/callback' },
    ];
    for (const headers of variants) {
      const response = await fetch(`${app.origin}/account`, { headers, redirect: 'manual' });
      expect(response.status, JSON.stringify(headers)).toBe(307);
      const location = new URL(response.headers.get('location')!, app.origin);
      expect(location.origin + location.pathname).toBe(`${app.origin}/auth/callback`);
      expect(location.searchParams.get('authkit_sign_in')).toMatch(/^Fe26\.2\*/);
      if (headers.cookie?.includes('wos-session')) {
        expect(response.headers.getSetCookie().some((value) => /^wos-session(\.\d+)?=;/.test(value))).toBe(true);
      }
      const api = await fetch(`${app.origin}/api/session`, { headers });
      expect(api.status).toBe(401);
    }
  });

  test('sign in, read the session on server and client, switch organization, refresh once under parallel requests, sign out', async () => {
    const { alice } = emulator.users;
    const { acme, globex } = emulator.organizations;

    // Signed out: the server-rendered home page links to sign-in.
    await page.goto(app.origin);
    await expect.poll(() => text('client-user')).toBe('signed out');
    await page.getByTestId('sign-in').click();
    await page.waitForURL(`${app.origin}/`);

    expect(await text('user-name')).toBe('Alice Moreau');
    expect(await text('user-email')).toBe(alice.email);
    await expect.poll(() => text('client-user')).toBe(alice.email);
    await expect.poll(() => text('claims-session')).toMatch(/^session_/);
    const first = await sessionCookie();
    expect(first?.value).toMatch(/^Fe26\.2\*1\*/);
    expect(first).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect((await context.cookies(app.origin)).filter((cookie) => cookie.name.startsWith('wos-auth-verifier'))).toEqual([]);

    // A server component with withAuth({ ensureSignedIn: true }), and a route handler with authkit(request).
    await page.goto(`${app.origin}/account`);
    expect(await text('account-email')).toBe(alice.email);
    const [me] = await parallelSessionRequests(1);
    expect(me).toMatchObject({ status: 200, email: alice.email });

    // Organization switch through a server action.
    await page.goto(app.origin);
    await page.getByTestId('organization-id').fill(acme.id);
    await page.getByTestId('switch-organization').click();
    await expect.poll(() => text('organization')).toBe(acme.id);
    expect(await text('role')).toBe('admin');
    expect(await text('permissions')).toBe('billing:manage, members:invite, projects:read, projects:write');
    await expect.poll(() => text('client-organization')).toBe(acme.id);
    // useTokenClaims, through useAccessToken: the token the client fetched is the new one.
    await expect.poll(() => text('claims-organization')).toBe(acme.id);

    // A forged organization id is refused, and the session stays as it was.
    await page.getByTestId('organization-id').fill('not-an-org');
    await page.getByTestId('switch-organization').click();
    await page.goto(app.origin);
    expect(await text('organization')).toBe(acme.id);

    // The access token expires; 16 requests race with the same cookie: one refresh grant.
    const before = await sessionsOf(alice.id);
    const cookieBefore = (await sessionCookie())?.value;
    await app.setClock(EXPIRED_MS);
    const replies = await parallelSessionRequests(16);
    await app.setClock(0);
    expect(replies).toEqual(Array.from({ length: 16 }, () => expect.objectContaining({ status: 200, email: alice.email })));
    expect(await sessionsOf(alice.id)).toBe(before + 1);
    const refreshed = (await sessionCookie())?.value;
    expect(refreshed).toMatch(/^Fe26\.2\*1\*/);
    expect(refreshed).not.toBe(cookieBefore);
    // The organization survived the refresh.
    await page.goto(app.origin);
    expect(await text('organization')).toBe(acme.id);
    expect(await text('user-email')).toBe(alice.email);

    // Into the other organization, as a member.
    await page.getByTestId('organization-id').fill(globex.id);
    await page.getByTestId('switch-organization').click();
    await expect.poll(() => text('organization')).toBe(globex.id);
    expect(await text('role')).toBe('member');

    // Sign-out through a server action: the provider's logout, back to the app, no cookie left.
    await page.getByTestId('sign-out').click();
    await page.waitForURL(`${app.origin}/signed-out`);
    expect(await text('signed-out')).toBe('You are signed out.');
    expect(await sessionCookie()).toBeUndefined();
    const [after] = await parallelSessionRequests(1);
    expect(after?.status).toBe(401);
  }, 120_000);
});
