/**
 * The cookie of `@workos-inc/authkit-react-router` 0.8 and ours are one cookie: a session it
 * signs in authenticates here (and refreshes into a cookie it reads), and a session signed in
 * here authenticates there. Both run in this process against the WorkOS emulator.
 */
import * as theirs from '@workos-inc/authkit-react-router';
import type { LoaderFunctionArgs } from 'react-router';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import * as ours from '../../../src/react-router/index.js';
import { PASSWORD } from '../../support/web-app.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const ORIGIN = 'http://localhost:5173';
const REDIRECT_URI = `${ORIGIN}/callback`;
let emulator: Emulator;

beforeAll(async () => {
  for (const key of Object.keys(process.env)) if (key.startsWith('WORKOS_')) delete process.env[key];
  emulator = await startEmulator();
  const api = new URL(emulator.url);
  const config = {
    clientId: emulator.clientId,
    apiKey: emulator.apiKey,
    redirectUri: REDIRECT_URI,
    cookiePassword: PASSWORD,
    apiHostname: api.hostname,
    apiPort: Number(api.port),
    apiHttps: false,
  };
  theirs.configure(config);
  ours.configure(config, () => undefined);
});
afterAll(async () => {
  await emulator?.close();
});

function args(path: string, cookie?: string): LoaderFunctionArgs {
  const headers = cookie === undefined ? undefined : { cookie };
  return { request: new Request(new URL(path, ORIGIN), { headers }), params: {}, context: {} } as LoaderFunctionArgs;
}

/** `name=value` of the session cookie a response sets. */
function sessionCookie(response: Response): string {
  const header = response.headers.getSetCookie().find((value) => value.startsWith('wos-session='));
  if (!header) throw new Error(`no session cookie in ${response.status} ${[...response.headers].join(' | ')}`);
  return header.slice(0, header.indexOf(';'));
}

async function loaderResponse(result: unknown): Promise<{ data: Record<string, unknown>; headers: Headers }> {
  const value = result as { data: Record<string, unknown>; init: ResponseInit | null };
  return { data: value.data, headers: new Headers(value.init?.headers) };
}

/** Signs `email` in through authkit-react-router: its sign-in URL (no PKCE), the emulator, its callback loader. */
async function signInWithTheirs(email: string): Promise<string> {
  const authorize = new URL(await theirs.getSignInUrl());
  authorize.searchParams.set('login_hint', email);
  const answer = await fetch(authorize, { redirect: 'manual' });
  const callback = new URL(answer.headers.get('location')!);
  const response = (await theirs.authLoader()(args(`${callback.pathname}${callback.search}`))) as Response;
  expect(response.status).toBe(302);
  return sessionCookie(response);
}

/** Signs the emulator's first user in through ours: the sign-in link, the emulator, the callback loader. */
async function signInWithOurs(): Promise<string> {
  const loader = ours.authLoader();
  const start = await loader(args(new URL(await ours.getSignInUrl('/home')).search.replace(/^/, '/callback')));
  const stateCookie = start.headers.getSetCookie()[0]!.split(';')[0]!;
  const answer = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  const callback = new URL(answer.headers.get('location')!);
  const response = await loader(args(`${callback.pathname}${callback.search}`, stateCookie));
  expect(response.status).toBe(302);
  expect(response.headers.get('location')).toBe('/home');
  return sessionCookie(response);
}

describe('cookie interop with @workos-inc/authkit-react-router 0.8.1', () => {
  test('a session it signs in authenticates here, as the same user', async () => {
    const cookie = await signInWithTheirs(emulator.users.bob.email);
    const { data, headers } = await loaderResponse(await ours.authkitLoader(args('/', cookie)));
    expect(data.user).toMatchObject({ email: emulator.users.bob.email });
    expect(headers.getSetCookie()).toEqual([]);
    expect(await ours.withAuth(args('/', cookie))).toMatchObject({ user: { email: emulator.users.bob.email } });
  });

  test('a session signed in here authenticates there, as the same user', async () => {
    const cookie = await signInWithOurs();
    const { data } = await loaderResponse(await theirs.authkitLoader(args('/', cookie)));
    expect(data.user).toMatchObject({ email: emulator.users.alice.email });
    expect(await theirs.withAuth(args('/', cookie))).toMatchObject({ user: { email: emulator.users.alice.email } });
  });

  test('its session refreshed here into another organization is read there with the new organization', async () => {
    const cookie = await signInWithTheirs(emulator.users.alice.email);
    const request = new Request(`${ORIGIN}/org`, { method: 'POST', headers: { cookie } });
    const refreshed = await ours.refreshSession(request, { organizationId: emulator.organizations.globex.id });
    expect(refreshed.organizationId).toBe(emulator.organizations.globex.id);
    const next = refreshed.headers.getSetCookie()[0]!.split(';')[0]!;
    const { data } = await loaderResponse(await theirs.authkitLoader(args('/', next)));
    expect(data).toMatchObject({ user: { email: emulator.users.alice.email }, organizationId: emulator.organizations.globex.id, role: 'member' });
  });

  test('our session refreshed there is read here', async () => {
    const cookie = await signInWithOurs();
    const refreshed = await theirs.refreshSession(new Request(`${ORIGIN}/`, { headers: { cookie } }), { organizationId: emulator.organizations.acme.id });
    const next = refreshed.headers['Set-Cookie']!.split(';')[0]!;
    const { data } = await loaderResponse(await ours.authkitLoader(args('/', next)));
    expect(data).toMatchObject({ user: { email: emulator.users.alice.email }, organizationId: emulator.organizations.acme.id, role: 'admin' });
  });

  test('the cookie is the same shape: name, attributes and a value React Router verifies', async () => {
    const loader = ours.authLoader();
    const start = await loader(args('/callback?intent=sign-in'));
    const stateCookie = start.headers.getSetCookie()[0]!.split(';')[0]!;
    const answer = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const callback = new URL(answer.headers.get('location')!);
    const response = await loader(args(`${callback.pathname}${callback.search}`, stateCookie));
    const header = response.headers.getSetCookie().find((value) => value.startsWith('wos-session='))!;
    expect(header).toMatch(/; Max-Age=34560000/i);
    expect(header).toMatch(/; Path=\//i);
    expect(header).toMatch(/; HttpOnly/i);
    expect(header).toMatch(/; SameSite=Lax/i);
    expect(header).not.toMatch(/; Secure/i);
    expect(header.slice('wos-session='.length, header.indexOf(';'))).toMatch(/^[A-Za-z0-9%]+\.[A-Za-z0-9%]+$/);
  });
});

describe('authLoader onSuccess', () => {
  async function callbackWith(loader: ReturnType<typeof ours.authLoader>): Promise<Response> {
    const start = await loader(args('/callback?intent=sign-in'));
    const stateCookie = start.headers.getSetCookie()[0]!.split(';')[0]!;
    const answer = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const callback = new URL(answer.headers.get('location')!);
    return loader(args(`${callback.pathname}${callback.search}`, stateCookie));
  }

  test('gets the tokens and the user of the sign-in, before the cookie is set', async () => {
    const seen: ours.AuthLoaderSuccessData[] = [];
    const response = await callbackWith(ours.authLoader({ returnPathname: '/welcome', onSuccess: (data) => void seen.push(data) }));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/welcome');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ user: { email: emulator.users.alice.email }, impersonator: null });
    expect(seen[0]!.accessToken.split('.')).toHaveLength(3);
    expect(seen[0]!.refreshToken).toBeTruthy();
  });

  test('when it throws, the sign-in fails without a session cookie', async () => {
    const response = await callbackWith(ours.authLoader({ onSuccess: () => { throw new Error('database down'); } }));
    expect(response.status).toBe(500);
    expect(response.headers.getSetCookie().some((header) => /^wos-session=[^;]/.test(header))).toBe(false);
  });
});
