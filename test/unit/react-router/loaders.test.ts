/**
 * The loaders and actions without a provider: every hostile cookie, callback and argument gives
 * a signed-out result, a redirect or a 4xx, never a throw of anything but a Response.
 */
import type { LoaderFunctionArgs } from 'react-router';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  authkitLoader,
  authLoader,
  configure,
  getSignInUrl,
  getSignUpUrl,
  sessionHeaders,
  signOut,
  switchToOrganization,
  withAuth,
} from '../../../src/react-router/index.js';
import { HOSTILE_COOKIE_HEADERS } from '../../support/hostile-cookies.js';
import { HOSTILE_RETURN_TO } from '../../support/hostile-return-to.js';

const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
const ORIGIN = 'http://localhost:5173';

beforeAll(() => {
  configure(
    { clientId: 'client_unit', apiKey: 'sk_test_unit', redirectUri: `${ORIGIN}/callback`, cookiePassword: PASSWORD, apiHostname: '127.0.0.1', apiPort: 9, apiHttps: false },
    () => undefined,
  );
});

function args(path: string, headers: Record<string, string> = {}, method = 'GET'): LoaderFunctionArgs {
  return { request: new Request(`${ORIGIN}${path}`, { headers, method }), params: {}, context: {} } as LoaderFunctionArgs;
}

type Result = { data: Record<string, unknown>; init: ResponseInit | null };

async function thrown(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  throw new Error('expected a thrown Response');
}

describe('authkitLoader', () => {
  test('no cookie: every auth field null, no cookie set', async () => {
    const result = (await authkitLoader(args('/'))) as unknown as Result;
    expect(result.data).toEqual({ user: null, sessionId: null, organizationId: null, role: null, permissions: null, entitlements: null, featureFlags: null, impersonator: null });
    expect(new Headers(result.init?.headers).getSetCookie()).toEqual([]);
  });

  test.each(HOSTILE_COOKIE_HEADERS)('hostile cookie (%s): signed out, the cookie deleted, no-store', async (_name, cookie) => {
    const seen: string[] = [];
    const result = (await authkitLoader(args('/', { cookie }), async ({ auth }) => ({ page: 'home', user: auth.user }), {
      onSessionRefreshError: ({ error }) => void seen.push(error.reason),
    })) as unknown as Result;
    expect(result.data).toMatchObject({ page: 'home', user: null });
    const headers = new Headers(result.init?.headers);
    for (const header of headers.getSetCookie()) expect(header).toMatch(/Max-Age=0/i);
    const deleted = headers.getSetCookie().length > 0;
    if (deleted) expect(headers.get('cache-control')).toBe('no-store');
    expect(seen.length).toBe(deleted ? 1 : 0);
  });

  test('ensureSignedIn: a redirect to the sign-in link with the page as return path', async () => {
    const response = await thrown(authkitLoader(args('/dashboard?tab=2', { cookie: 'wos-session=junk' }), { ensureSignedIn: true }));
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${ORIGIN}/callback`);
    expect(location.searchParams.get('intent')).toBe('sign-in');
    expect(location.searchParams.get('returnTo')).toBe('/dashboard?tab=2');
    expect(response.headers.getSetCookie().some((header) => /^wos-session=;.*Max-Age=0/i.test(header))).toBe(true);
  });

  test("the app loader's errors and thrown responses pass as they are", async () => {
    const failure = new TypeError('app bug');
    await expect(authkitLoader(args('/'), () => { throw failure; })).rejects.toBe(failure);
    const notFound = new Response('nope', { status: 404 });
    expect(await thrown(authkitLoader(args('/'), () => { throw notFound; }))).toBe(notFound);
  });

  test("the app loader's Response: JSON merged with auth, redirects thrown, others kept", async () => {
    const json = (await authkitLoader(args('/'), () => Response.json({ page: 1 }, { status: 201 }))) as unknown as Result;
    expect(json.data).toMatchObject({ page: 1, user: null });
    expect(json.init?.status).toBe(201);
    const redirected = await thrown(authkitLoader(args('/'), () => new Response(null, { status: 303, headers: { location: '/x' } })));
    expect(redirected.headers.get('location')).toBe('/x');
    const text = await authkitLoader(args('/'), () => new Response('plain', { headers: { 'content-type': 'text/plain' } }));
    expect(await (text as unknown as Response).text()).toBe('plain');
  });
});

describe('sign-in links', () => {
  test('point at the callback route, with a local return path only', async () => {
    expect(await getSignInUrl()).toBe(`${ORIGIN}/callback?intent=sign-in`);
    expect(await getSignUpUrl('/welcome')).toBe(`${ORIGIN}/callback?intent=sign-up&returnTo=%2Fwelcome`);
    for (const hostile of HOSTILE_RETURN_TO) {
      const returnTo = new URL(await getSignInUrl(hostile)).searchParams.get('returnTo')!;
      expect(returnTo).toMatch(/^\/(?![/\\])/);
      expect(new URL(returnTo, ORIGIN).origin).toBe(ORIGIN);
    }
  });
});

describe('authLoader', () => {
  const loader = authLoader({ returnPathname: '/dashboard' });

  test.each(['sign-in', 'sign-up'])('starts a %s with PKCE and a state cookie', async (intent) => {
    const response = await loader(args(`/callback?intent=${intent}&returnTo=%2Fprojects`));
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.pathname).toBe('/user_management/authorize');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('state')).toMatch(/.{16,}/);
    expect(location.searchParams.get('screen_hint')).toBe(intent);
    expect(location.searchParams.get('redirect_uri')).toBe(`${ORIGIN}/callback`);
    expect(response.headers.getSetCookie().join('\n')).toMatch(/^wos-auth-state=.+HttpOnly/im);
  });

  const badCallbacks: Array<[string, string, Record<string, string>]> = [
    ['nothing', '/callback', {}],
    ['no state cookie', '/callback?code=abc&state=def', {}],
    ['a junk state cookie', '/callback?code=abc&state=def', { cookie: 'wos-auth-state=junk' }],
    ['an error from the provider', '/callback?error=access_denied&state=x', {}],
    ['an error with markup', '/callback?error=%3Cscript%3Ealert(1)%3C/script%3E', {}],
    ['a sign-in intent with a code', '/callback?intent=sign-in&code=abc&state=def', {}],
    ['an unknown intent', '/callback?intent=admin', {}],
  ];
  test.each(badCallbacks)('%s: a 400 page, no session cookie, a retry link that works', async (_name, path, headers) => {
    const response = await loader(args(path, headers));
    expect(response.status).toBe(400);
    expect(response.headers.getSetCookie().some((header) => /^wos-session=[^;]/.test(header))).toBe(false);
    const body = await response.text();
    expect(body).not.toContain('<script>');
    expect(body).toContain('href="http://localhost:5173/callback?intent=sign-in"');
  });
});

describe('withAuth, signOut, switchToOrganization', () => {
  test.each(HOSTILE_COOKIE_HEADERS)('withAuth with a hostile cookie (%s) is signed out', async (_name, cookie) => {
    expect(await withAuth(args('/', { cookie }))).toEqual({ user: null });
  });

  test('signOut with no session redirects to returnTo and deletes nothing it was not sent', async () => {
    const response = await signOut(new Request(`${ORIGIN}/logout`, { method: 'POST' }), { returnTo: '/bye' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/bye');
  });

  test.each(HOSTILE_COOKIE_HEADERS)('signOut with a hostile cookie (%s) deletes it and redirects', async (_name, cookie) => {
    const response = await signOut(new Request(`${ORIGIN}/logout`, { method: 'POST', headers: { cookie } }));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/');
    for (const header of response.headers.getSetCookie()) expect(header).toMatch(/Max-Age=0/i);
  });

  test.each(['', 'acme', 'org_', 'org_a-b', `org_${'a'.repeat(65)}`, 'org_1\n', 'ORG_abc', 'org_abc/../x'])(
    'switchToOrganization refuses the id %j with a 400 before any call',
    async (organizationId) => {
      const result = (await switchToOrganization(new Request(`${ORIGIN}/org`, { method: 'POST' }), organizationId)) as unknown as Result;
      expect(result.init?.status).toBe(400);
      expect(result.data).toMatchObject({ success: false });
    },
  );

  test('switchToOrganization with no session: a redirect to sign-in', async () => {
    const response = await thrown(switchToOrganization(new Request(`${ORIGIN}/org`, { method: 'POST' }), 'org_abc'));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toContain('intent=sign-in');
  });
});

describe('sessionHeaders', () => {
  const headersOf = (init: Record<string, string>) => new Headers(init);
  test.each([
    ['loader no-store', { loader: { 'cache-control': 'no-store' } }, 'no-store'],
    ['parent no-store', { parent: { 'cache-control': 'no-store' } }, 'no-store'],
    ['action no-store', { action: { 'cache-control': 'private, no-store' } }, 'no-store'],
    ['own caching kept', { loader: { 'cache-control': 'public, max-age=60' } }, 'public, max-age=60'],
    ['parent caching kept', { parent: { 'cache-control': 'max-age=5' } }, 'max-age=5'],
    ['no-store beats own caching', { loader: { 'cache-control': 'public' }, parent: { 'cache-control': 'no-store' } }, 'no-store'],
    ['nothing', {}, null],
  ] as const)('%s', (_name, given: { loader?: Record<string, string>; parent?: Record<string, string>; action?: Record<string, string> }, expected) => {
    const headers = sessionHeaders({
      loaderHeaders: headersOf(given.loader ?? {}),
      parentHeaders: headersOf(given.parent ?? {}),
      actionHeaders: headersOf(given.action ?? {}),
      errorHeaders: undefined,
    });
    expect(headers.get('cache-control')).toBe(expected);
  });
});
