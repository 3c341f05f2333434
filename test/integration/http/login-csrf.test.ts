/**
 * Login CSRF through a planted state cookie, played end to end against the emulator with the
 * Fetch handler of an app served over https. The attacker (Bob) starts a sign-in at the app
 * himself, so he holds a genuine sealed state cookie, its `state` and a fresh code for his own
 * account. From a sibling subdomain he can make the victim's browser carry that cookie under
 * any name a browser lets another host set, then send her to the callback with his code. She
 * must not end up signed in as Bob.
 *
 * A browser never lets another host set a `__Host-` cookie (it needs `Secure`, `Path=/`, no
 * `Domain`, and the host's own response), so what the victim's browser can carry is modelled by
 * the names below; the one name the attacker cannot plant is shown to be the one that works.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import { parseCookieHeader } from '../../../src/cookies/index.js';
import { createSessionHandler, SessionManager } from '../../../src/index.js';
import { PASSWORD } from '../../support/web-app.js';

// The emulator only redirects to localhost; over https it is a secure origin like any other.
const APP = 'https://localhost:8443';
const STATE_COOKIE = '__Host-wos-auth-state';

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let auth: ReturnType<typeof createSessionHandler>;

beforeAll(async () => {
  emulator = await startEmulator();
  const sessions = new SessionManager({ clientId: emulator.clientId, apiKey: emulator.apiKey, cookiePassword: PASSWORD, baseUrl: emulator.url });
  auth = createSessionHandler({ sessions, redirectUri: `${APP}/auth/callback` });
});
afterAll(async () => {
  await emulator?.close();
});

/** A sign-in started at the app: the state cookie it set, and the callback the provider sends back to. */
async function startSignIn(email: string) {
  const start = (await auth.handle(new Request(`${APP}/auth/sign-in?loginHint=${encodeURIComponent(email)}`)))!;
  const setCookie = start.headers.getSetCookie()[0]!;
  const atProvider = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  const callback = new URL(atProvider.headers.get('location')!);
  expect(callback.origin + callback.pathname).toBe(`${APP}/auth/callback`);
  const pair = setCookie.split(';', 1)[0]!;
  return { setCookie, stateValue: pair.slice(pair.indexOf('=') + 1), callback };
}

async function visitCallback(callback: URL, cookie: string) {
  const response = (await auth.handle(new Request(callback, { headers: { cookie } })))!;
  const session = parseCookieHeader(response.headers.getSetCookie().map((header) => header.split(';', 1)[0]).join('; ')).get('wos-session');
  return { status: response.status, session };
}

async function signedInAs(sealed: string | undefined): Promise<string | undefined> {
  if (!sealed) return undefined;
  const { session } = await auth.authenticate(new Request(`${APP}/`, { headers: { cookie: `wos-session=${sealed}` } }));
  return session.authenticated ? session.user.email : undefined;
}

describe('login CSRF through a planted sign-in state cookie', () => {
  test('over https the state cookie has the __Host- prefix and meets its rules', async () => {
    const { setCookie } = await startSignIn(emulator.users.bob.email);
    expect(setCookie.startsWith(`${STATE_COOKIE}=Fe26.2*`)).toBe(true);
    expect(setCookie).toMatch(/; Path=\/;/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).not.toMatch(/Domain=/i);
  });

  // What a sibling subdomain can make the victim's browser send: any name but the prefixed one
  // (`__Secure-` is open to a sibling on https; old browsers match prefixes case-sensitively).
  const PLANTABLE = ['wos-auth-state', '__Secure-wos-auth-state', '__host-wos-auth-state', '__HOST-wos-auth-state', 'wos-auth-state.0', '__Host-wos-auth-state.0'];

  for (const name of PLANTABLE) {
    test(`a genuine state cookie of the attacker's, planted as ${name}, signs nobody in`, async () => {
      const attacker = await startSignIn(emulator.users.bob.email);
      const victim = await visitCallback(attacker.callback, `${name}=${attacker.stateValue}`);
      expect(victim.status).toBe(400);
      expect(victim.session).toBeUndefined();
    });
  }

  test('planted beside the victim’s own state cookie, it is her sign-in that is checked, and it does not match', async () => {
    const attacker = await startSignIn(emulator.users.bob.email);
    const own = await startSignIn(emulator.users.alice.email);
    const cookie = `wos-auth-state=${attacker.stateValue}; ${STATE_COOKIE}=${own.stateValue}`;
    const victim = await visitCallback(attacker.callback, cookie);
    expect(victim.status).toBe(400);
    expect(victim.session).toBeUndefined();
  });

  test('the attacker’s code under the victim’s own state: the PKCE verifier sealed in her cookie does not fit it', async () => {
    const attacker = await startSignIn(emulator.users.bob.email);
    const own = await startSignIn(emulator.users.alice.email);
    const forged = new URL(attacker.callback);
    forged.searchParams.set('state', own.callback.searchParams.get('state')!);
    const victim = await visitCallback(forged, `${STATE_COOKIE}=${own.stateValue}`);
    expect(victim.status).toBe(400);
    expect(victim.session).toBeUndefined();
  });

  test('control: the same cookie under the name only this origin can set does sign in, so the name is the defence', async () => {
    const attacker = await startSignIn(emulator.users.bob.email);
    const result = await visitCallback(attacker.callback, `${STATE_COOKIE}=${attacker.stateValue}`);
    expect(result.status).toBe(302);
    expect(await signedInAs(result.session)).toBe(emulator.users.bob.email);
  });

  test('the victim’s own sign-in still works', async () => {
    const own = await startSignIn(emulator.users.alice.email);
    const result = await visitCallback(own.callback, `${STATE_COOKIE}=${own.stateValue}`);
    expect(result.status).toBe(302);
    expect(await signedInAs(result.session)).toBe(emulator.users.alice.email);
  });
});
