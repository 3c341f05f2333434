/**
 * The sign-in routes' error pages: words a developer can act on while developing, and nothing
 * of the provider's text, no stack and no token in production. Every failure the callback and
 * the action routes can meet is played against the WorkOS emulator through the Fetch handler.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import { createSessionHandler, SessionManager, type SessionHandler } from '../../../src/index.js';
import { PASSWORD } from '../../support/web-app.js';

const APP = 'http://localhost:3999';
const HOSTILE = '<script>alert(1)</script> sk_test_leaked eyJhbGciOiJSUzI1NiJ9.secret';

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let sessions: SessionManager;
const handlers: Record<'dev' | 'prod', SessionHandler> = {} as never;

beforeAll(async () => {
  emulator = await startEmulator();
  sessions = new SessionManager({ clientId: emulator.clientId, apiKey: emulator.apiKey, cookiePassword: PASSWORD, baseUrl: emulator.url });
  handlers.dev = createSessionHandler({ sessions, redirectUri: `${APP}/auth/callback`, errorDetails: true });
  handlers.prod = createSessionHandler({ sessions, redirectUri: `${APP}/auth/callback`, errorDetails: false });
});
afterAll(() => emulator?.close());
afterEach(() => vi.unstubAllEnvs());

/** A sign-in begun at the app: its state cookie, and the callback URL the emulator sends back to. */
async function begin(auth: SessionHandler) {
  const start = (await auth.handle(new Request(`${APP}/auth/sign-in?loginHint=${encodeURIComponent(emulator.users.alice.email)}`)))!;
  const cookie = start.headers.getSetCookie()[0]!.split(';', 1)[0]!;
  const atProvider = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  return { cookie, callback: new URL(atProvider.headers.get('location')!) };
}

type Case = [name: string, request: (auth: SessionHandler) => Promise<Request>, status: number, developer: RegExp];

const cases: Case[] = [
  [
    'the provider sends back an error',
    async () => new Request(`${APP}/auth/callback?error=access_denied&error_description=${encodeURIComponent(HOSTILE)}`),
    400,
    /error=access_denied: &lt;script&gt;.*WorkOS dashboard/,
  ],
  ['the callback has no code', async (auth) => {
    const { cookie, callback } = await begin(auth);
    callback.searchParams.delete('code');
    return new Request(callback, { headers: { cookie } });
  }, 400, /no code parameter: start sign-in at \/auth\/sign-in/],
  ['the state cookie did not come back', async (auth) => new Request((await begin(auth)).callback), 400, /No wos-auth-state cookie came back.*http:\/\/localhost:3999.*10 minutes/],
  ['the state cookie was altered', async (auth) => {
    const { cookie, callback } = await begin(auth);
    return new Request(callback, { headers: { cookie: `${cookie.slice(0, -6)}AAAAAA` } });
  }, 400, /wos-auth-state cookie did not open.*cookie password changed/],
  ['the state belongs to another sign-in', async (auth) => {
    const first = await begin(auth);
    const second = await begin(auth);
    return new Request(second.callback, { headers: { cookie: first.cookie } });
  }, 400, /state parameter differs.*older tab/],
  ['the code does not exchange', async (auth) => {
    const { cookie, callback } = await begin(auth);
    callback.searchParams.set('code', 'code_not_issued');
    return new Request(callback, { headers: { cookie } });
  }, 400, /Exchanging the code failed: \w+Error \(\w+\): .*clientId and apiKey.*http:\/\/localhost:3999\/auth\/callback is a Redirect URI/],
  ['a switch without an organization', async () => {
    return new Request(`${APP}/auth/switch-organization`, {
      method: 'POST',
      headers: { origin: APP, cookie: `wos-session=${await sealedSession()}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'organizationId=acme',
    });
  }, 400, /organizationId field of the form org_/],
];

let sealed: string | undefined;
async function sealedSession(): Promise<string> {
  if (sealed) return sealed;
  const { cookie, callback } = await begin(handlers.prod);
  const response = (await handlers.prod.handle(new Request(callback, { headers: { cookie } })))!;
  sealed = response.headers.getSetCookie().find((header) => header.startsWith('wos-session='))!.split(';', 1)[0]!.slice('wos-session='.length);
  return sealed;
}

describe('sign-in error pages', () => {
  test.each(cases)('%s: details in development', async (_name, request, status, developer) => {
    const response = (await handlers.dev.handle(await request(handlers.dev)))!;
    expect(response.status).toBe(status);
    const html = await response.text();
    expect(html).toContain('For the developer');
    expect(html).toMatch(developer);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toMatch(/\n\s+at /);
  });

  test.each(cases)('%s: nothing but the visitor message in production', async (_name, request, status, developer) => {
    const response = (await handlers.prod.handle(await request(handlers.prod)))!;
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toMatch(/<h1>Sign-in problem<\/h1><p>[^<]+<\/p>/);
    expect(html).not.toContain('For the developer');
    expect(html).not.toMatch(developer);
    for (const leak of ['access_denied', 'script', 'sk_test', 'eyJ', 'Error', 'code_not_issued', 'wos-auth-state', emulator.url, emulator.clientId]) {
      expect(html).not.toContain(leak);
    }
  });

  test('an unexpected failure: its name and message in development, never a stack; a bare 500 in production', async () => {
    const failing = { run: () => Promise.reject(new Error(`store down ${HOSTILE}`)), endSession: () => Promise.resolve() };
    const request = async () =>
      new Request(`${APP}/auth/refresh`, { method: 'POST', headers: { origin: APP, cookie: `wos-session=${await sealedSession()}` } });
    const dev = (await createSessionHandler({ sessions, redirectUri: `${APP}/auth/callback`, coordinator: failing, errorDetails: true }).handle(await request()))!;
    const devHtml = await dev.text();
    expect(dev.status).toBe(500);
    expect(devHtml).toMatch(/Error: store down &lt;script&gt;/);
    expect(devHtml).not.toMatch(/\bat .*\.(ts|js):\d+/);
    const prod = (await createSessionHandler({ sessions, redirectUri: `${APP}/auth/callback`, coordinator: failing, errorDetails: false }).handle(await request()))!;
    const prodHtml = await prod.text();
    expect(prod.status).toBe(500);
    expect(prodHtml).not.toMatch(/store down|sk_test|eyJ|For the developer/);
  });

  test.each([
    ['production', false],
    ['development', true],
    ['test', true],
    ['', true],
  ] as const)('NODE_ENV=%j decides the default (details: %s)', async (nodeEnv, shown) => {
    vi.stubEnv('NODE_ENV', nodeEnv);
    const auth = createSessionHandler({ sessions, redirectUri: `${APP}/auth/callback` });
    const response = (await auth.handle(new Request(`${APP}/auth/callback?error=access_denied`)))!;
    expect((await response.text()).includes('error=access_denied')).toBe(shown);
  });
});
