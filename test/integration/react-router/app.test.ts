/**
 * The React Router example app (examples/react-router), built with `react-router build` and
 * served by `react-router-serve` on a loopback port, through real HTTP against the WorkOS
 * emulator: sign-in, an authenticated page, a refresh under parallel requests, an organization
 * switch and sign-out, and hostile input at every entry. The app and the emulator run on one
 * clock the test moves forward, so access tokens expire when it says.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestClient } from '../../support/client.js';
import { HOSTILE_COOKIE_HEADERS } from '../../support/hostile-cookies.js';
import { HOSTILE_RETURN_TO } from '../../support/hostile-return-to.js';
import { PASSWORD } from '../../support/web-app.js';
import { ask, type EmulatorProcess, kill, spawnEmulator } from '../refresh/processes.js';
import { buildExample } from './build.js';

const EXPIRED_OFFSET_MS = 3600_000 + 60_000;
const PARALLEL = 12;
/** Every full sign-in costs a few requests: an even sample of the return paths the unit tests probe in full. */
const RETURN_TO_SAMPLE = HOSTILE_RETURN_TO.filter((_, i) => i % Math.ceil(HOSTILE_RETURN_TO.length / 40) === 0);

let emulator: EmulatorProcess;
let app: ChildProcess;
let origin: string;
let organizations: { acme: string; globex: string };
let serverLog = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function untilServing(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    if (child.exitCode !== null) throw new Error(`react-router-serve exited with ${child.exitCode}:\n${serverLog}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`react-router-serve did not start:\n${serverLog}`);
}

/** Moves the app's and the emulator's clocks to `offsetMs` ahead of real time. */
async function setClock(offsetMs: number): Promise<void> {
  await Promise.all([ask(emulator.child, { type: 'clock', offsetMs }), ask(app, { type: 'clock', offsetMs })]);
}

async function organizationIds(): Promise<{ acme: string; globex: string }> {
  const response = await fetch(`${emulator.url}/organizations?limit=100`, { headers: { authorization: `Bearer ${emulator.apiKey}` } });
  const { data } = (await response.json()) as { data: Array<{ id: string; name: string }> };
  const id = (name: string) => data.find((org) => org.name === name)!.id;
  return { acme: id('Acme Corp'), globex: id('Globex Industries') };
}

beforeAll(async () => {
  const [server, provider, port] = await Promise.all([buildExample(), spawnEmulator(), freePort()]);
  emulator = provider;
  organizations = await organizationIds();
  origin = `http://127.0.0.1:${port}`;
  const api = new URL(emulator.url);
  const serve = fileURLToPath(new URL('../../../node_modules/@react-router/serve/bin.js', import.meta.url));
  app = fork(serve, [server], {
    execArgv: ['--import', fileURLToPath(new URL('./fixtures/clock.mjs', import.meta.url))],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      WORKOS_CLIENT_ID: emulator.clientId,
      WORKOS_API_KEY: emulator.apiKey,
      WORKOS_REDIRECT_URI: `${origin}/callback`,
      WORKOS_COOKIE_PASSWORD: PASSWORD,
      WORKOS_API_HOSTNAME: api.hostname,
      WORKOS_API_PORT: api.port,
      WORKOS_API_HTTPS: 'false',
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  // The app logs the 404s of the hostile probes; keep only the end, for a failed start.
  app.stderr?.on('data', (chunk: Buffer) => {
    serverLog = `${serverLog}${chunk.toString('utf8')}`.slice(-4000);
  });
  await untilServing(origin, app);
}, 120_000);

afterAll(async () => {
  await Promise.all([app && kill(app), emulator && kill(emulator.child)]);
});

type Me = { email: string | null; organizationId: string | null; role: string | null };

async function me(client: TestClient, cookie?: string): Promise<{ response: Response; body: Me }> {
  const response = await client.request('/api/me', cookie === undefined ? {} : { headers: { cookie } });
  return { response, body: (await response.json()) as Me };
}

/** Signs in from a protected page, as a browser would follow the redirects; returns the hops. */
async function signIn(client: TestClient): Promise<Response[]> {
  return client.follow('/dashboard');
}

describe('React Router example app over HTTP', () => {
  test('sign-in → page → refresh under parallel requests → organization switch → sign-out', async () => {
    const client = new TestClient(origin);

    // Sign-in: the protected page sends the browser to the sign-in link, which goes to the
    // provider with PKCE and a state cookie; the callback sets the session and lands on the page.
    const hops = await signIn(client);
    const [protectedPage, start, authorize, callback, landed] = hops;
    expect(protectedPage!.status).toBe(302);
    expect(new URL(protectedPage!.headers.get('location')!, origin).searchParams.get('returnTo')).toBe('/dashboard');
    const provider = new URL(start!.headers.get('location')!);
    expect(provider.searchParams.get('code_challenge_method')).toBe('S256');
    expect(provider.searchParams.get('state')).toBeTruthy();
    expect(authorize!.status).toBe(302);
    expect(callback!.headers.get('location')).toBe('/dashboard');
    expect(landed!.status).toBe(200);
    expect(await landed!.text()).toContain('alice@acme.test');
    expect(client.jar.has('wos-auth-state')).toBe(false);

    // An authenticated request that needs no refresh sets no cookie.
    const fresh = await me(client);
    expect(fresh.body).toMatchObject({ email: 'alice@acme.test', organizationId: null, role: null });
    expect(fresh.response.headers.getSetCookie()).toEqual([]);

    // Refresh under parallel requests: the token has expired; pages and the API, all at once,
    // with the one cookie. Every one is served, and all carry the same new cookie: one refresh.
    await setClock(EXPIRED_OFFSET_MS);
    const cookie = client.cookieHeader();
    const parallel = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => fetch(`${origin}${i % 2 ? '/api/me' : '/dashboard'}`, { headers: { cookie }, redirect: 'manual' })),
    );
    const written = new Set<string>();
    for (const response of parallel) {
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const sessions = response.headers.getSetCookie().filter((header) => header.startsWith('wos-session='));
      expect(sessions.length).toBeGreaterThan(0);
      for (const header of sessions) written.add(header.split(';')[0]!);
      expect(await response.text()).toContain('alice@acme.test');
    }
    expect(written.size).toBe(1);
    client.store(parallel[0]!);
    const afterRefresh = await me(client);
    expect(afterRefresh.body.email).toBe('alice@acme.test');
    expect(afterRefresh.response.headers.getSetCookie()).toEqual([]);

    // Organization switch: a form post to the page's action, from the page's own origin.
    const switched = await client.request('/dashboard', {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ organizationId: organizations.globex }),
    });
    expect(switched.status).toBe(302);
    expect(switched.headers.get('location')).toBe('/dashboard');
    expect((await me(client)).body).toMatchObject({ email: 'alice@acme.test', organizationId: organizations.globex, role: 'member' });

    // The same post from another site is refused, and the session stays where it was.
    const forged = await client.request('/dashboard', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ organizationId: organizations.acme }),
    });
    expect(forged.status).toBe(400);
    expect((await me(client)).body.organizationId).toBe(organizations.globex);

    // Sign-out: the provider's logout URL, the cookie deleted; signing out again is no error.
    const signedOut = await client.request('/sign-out', { method: 'POST', headers: { origin } });
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get('location')).toContain('/user_management/sessions/logout?session_id=');
    expect(client.jar.has('wos-session')).toBe(false);
    expect((await me(client)).body.email).toBeNull();
    const again = await client.request('/sign-out', { method: 'POST', headers: { origin } });
    expect(again.status).toBe(302);
    expect(again.headers.get('location')).toBe('/');
    await setClock(0);
  });

  test.each(HOSTILE_COOKIE_HEADERS)('hostile cookie (%s): a signed-out answer or a redirect to sign-in, never a 5xx', async (_name, cookie) => {
    const client = new TestClient(origin);
    const page = await client.request('/dashboard', { headers: { cookie } });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toContain('/callback?intent=sign-in');
    const api = await me(client, cookie);
    expect(api.response.status).toBe(200);
    expect(api.body.email).toBeNull();
    const home = await client.request('/', { headers: { cookie } });
    expect(home.status).toBe(200);
  });

  test.each(RETURN_TO_SAMPLE)('hostile return path %j: the sign-in stays on this site', async (returnTo) => {
    const client = new TestClient(origin);
    const hops = await client.follow(`/callback?intent=sign-in&returnTo=${encodeURIComponent(returnTo)}`);
    const landing = hops.at(-1)!;
    expect(landing.url.startsWith(origin)).toBe(true);
    expect(landing.status).toBeLessThan(500);
  });

  test.each([
    ['no code', '/callback'],
    ['no state cookie', '/callback?code=abc&state=def'],
    ['a provider error', '/callback?error=access_denied'],
    ['markup in the error', '/callback?error=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E'],
    ['an enormous code', `/callback?code=${'a'.repeat(6000)}&state=x`],
  ])('a bad callback (%s) is a 400 page, no session', async (_name, path) => {
    const client = new TestClient(origin);
    const response = await client.request(path);
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('<img src=x');
    expect(client.jar.has('wos-session')).toBe(false);
  });

  test.each(['', 'acme', 'org_../x', `org_${'a'.repeat(80)}`, 'org_a b'])('switching to %j is a 400 before any provider call', async (organizationId) => {
    const client = new TestClient(origin);
    await signIn(client);
    const response = await client.request('/dashboard', {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ organizationId }),
    });
    expect(response.status).toBe(400);
    expect((await me(client)).body.email).toBe('alice@acme.test');
  });
});
