/**
 * The examples, driven over HTTP from Node the way a browser would use them: follow the sign-in
 * redirects through the emulator, keep cookies, look at the pages. Each flow returns the same
 * result shape as a conformance suite.
 */
import { recorder } from './recorder.js';

/** A minimal cookie jar: enough for one host and host-only cookies. */
function cookieJar() {
  const cookies = new Map();
  return {
    store(response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const at = pair.indexOf('=');
        const name = pair.slice(0, at).trim();
        if (/;\s*max-age=0/i.test(line)) cookies.delete(name);
        else cookies.set(name, pair.slice(at + 1));
      }
    },
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    has: (name) => cookies.has(name),
  };
}


async function send(url, jar, init = {}) {
  const response = await fetch(url, { redirect: 'manual', ...init, headers: { ...init.headers, cookie: jar.header() } });
  jar.store(response);
  return { status: response.status, location: response.headers.get('location') ?? '', headers: response.headers, text: await response.text() };
}

/** Sign-in through the app's route and the emulator's `login_hint` shortcut; ends on the return path. */
async function signIn(app, jar, t, email, returnTo) {
  const start = await send(`${app}/auth/sign-in?returnTo=${encodeURIComponent(returnTo)}&loginHint=${encodeURIComponent(email)}`, jar);
  t.expect(start.status === 302 && jar.has('wos-auth-state'), `sign-in redirects to the provider with a state cookie (status ${start.status})`);
  const provider = await fetch(start.location, { redirect: 'manual' });
  await provider.body?.cancel();
  const callback = provider.headers.get('location') ?? '';
  t.expect(callback.startsWith(`${app}/auth/callback?`), `the provider sends the browser back to the app (${callback.slice(0, 60)})`);
  const landed = await send(callback, jar);
  t.expect(landed.status === 302 && landed.location === returnTo, `the callback lands on ${returnTo} (status ${landed.status}: ${landed.text.slice(0, 120)})`);
  t.expect(jar.has('wos-session'), 'and sets the session cookie');
}

async function flow(name, body) {
  const t = recorder();
  const started = Date.now();
  try {
    await body(t);
  } catch (error) {
    t.failures.push(`threw ${error?.name}: ${error?.message}`);
  }
  return { suite: name, ok: t.failures.length === 0 && t.checks > 0, checks: t.checks, failures: t.failures, ms: Date.now() - started };
}

/** `examples/cloudflare-worker.ts` served by workerd at `app`. */
export function cloudflareWorkerFlow(app, context) {
  return flow('cloudflare-worker', async (t) => {
    const jar = cookieJar();
    const home = await send(`${app}/`, jar);
    t.expect(home.status === 200 && home.text.includes('/auth/sign-in'), 'the home page is public and links to sign-in');
    const guarded = await send(`${app}/dashboard`, jar);
    t.expect(guarded.status === 302 && guarded.location === '/auth/sign-in?returnTo=%2Fdashboard', `a signed-out visitor of /dashboard is sent to sign-in (${guarded.status} ${guarded.location})`);

    await signIn(app, jar, t, context.email, '/dashboard');
    for (const round of [1, 2]) {
      // Twice: the second request runs on the JWKS cached by the first, across requests.
      const page = await send(`${app}/dashboard`, jar);
      t.expect(page.status === 200 && page.text.includes(`Signed in as ${context.email}`), `the dashboard shows the user (request ${round}: ${page.status})`);
      t.expect(page.headers.get('cache-control') === 'private, no-store', 'and is never cached');
    }

    const out = await send(`${app}/auth/sign-out`, jar, { method: 'POST', headers: { origin: app } });
    t.expect(out.status === 303 && out.location.startsWith(`${context.emulatorUrl}/user_management/sessions/logout`), `sign-out goes to the provider's logout (${out.status})`);
    t.expect(!jar.has('wos-session'), 'and clears the cookie');
    const after = await send(`${app}/dashboard`, jar);
    t.expect(after.status === 302, 'signed out, the dashboard asks for sign-in again');
  });
}
