/**
 * Runtime conformance suite: the same checks on every runtime the package claims to run on.
 *
 * Runtime-agnostic on purpose: it uses only the package's Web-standard entry points and Web
 * standards (no `process`, no `Deno`, no file system), so the very same module runs on Node,
 * Bun, Deno and workerd.
 * Everything runtime-specific (where the context comes from, how results are printed) lives in
 * the small entry modules beside it. The identity provider is the WorkOS emulator that the Node
 * driver runs on loopback; the context says where it is and carries a session signed in there.
 */
import { SessionManager, createRequestAuthenticator, createSessionHandler, sealData, unsealData } from 'sealed-session';
import { SealError } from 'sealed-session/errors';
import { unsealWithDetails } from 'sealed-session/seal';
import { recorder } from './recorder.js';

/**
 * @typedef {object} ConformanceContext
 * @property {string} emulatorUrl
 * @property {string} clientId
 * @property {string} apiKey
 * @property {string} password       the cookie password `cookie` is sealed with
 * @property {string} cookie         a session sealed on Node for `email`, never refreshed yet
 * @property {string} email
 * @property {string} organizationId an organization the user belongs to, as admin
 * @property {{ iron: Array<{ id: string, password: string, sealed: string, expected: unknown }>,
 *   fernet: { verify: Array<{ token: string, secret: string, now: string, ttl_sec: number }>,
 *             invalid: Array<{ desc: string, token: string, secret: string, now: string, ttl_sec: number, code: string }>,
 *             generate: Array<{ token: string, secret: string, now: string, src: string }> },
 *   sealedOnNode: Array<{ format: string, password: string, sealed: string, expected: unknown }> }} vectors
 */

/** @typedef {{ suite: string, ok: boolean, checks: number, failures: string[], ms: number }} SuiteResult */


const sameJson = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** The SealError code a promise rejected with, or a description of what it did instead. */
async function sealCodeOf(promise) {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof SealError ? error.code : `threw ${error?.name}: ${error?.message}`;
  }
}

/** @param {ConformanceContext} context @param {ReturnType<typeof recorder>} t */
async function vectorsSuite(context, t) {
  const { iron, fernet, sealedOnNode } = context.vectors;
  for (const v of iron) {
    const details = await unsealWithDetails(v.sealed, { password: v.password, now: () => 1_700_000_000_000 });
    t.expect(details.format === 'iron' && sameJson(details.data, v.expected), `iron ${v.id}: unseals to the expected data`);
    const again = await sealData(v.expected, { password: v.password });
    t.expect(again.startsWith('Fe26.2*') && again.endsWith('~2'), `iron ${v.id}: reseals in the Fe26.2 ~2 layout`);
    t.expect(sameJson(await unsealData(again, { password: v.password }), v.expected), `iron ${v.id}: round trip`);
  }
  for (const v of fernet.verify) {
    // The spec's tokens seal the bytes `hello`, not JSON: reaching the JSON step proves the key
    // derivation, MAC, timestamp and decryption all agreed.
    const code = await sealCodeOf(unsealData(v.token, { password: v.secret, ttl: v.ttl_sec, now: () => Date.parse(v.now) }));
    t.expect(code === 'seal_bad_payload', `fernet verify: passes every check up to JSON (got ${code})`);
  }
  for (const v of fernet.invalid) {
    const code = await sealCodeOf(unsealData(v.token, { password: v.secret, ttl: v.ttl_sec, now: () => Date.parse(v.now) }));
    t.expect(code === v.code, `fernet invalid "${v.desc}": ${v.code} (got ${code})`);
  }
  for (const v of fernet.generate) {
    const token = await sealData(v.src, { password: v.secret, format: 'fernet', now: () => Date.parse(v.now) });
    t.expect(token.slice(0, 12) === v.token.slice(0, 12), 'fernet generate: same version byte and timestamp as the spec');
    const back = await unsealData(token, { password: v.secret, ttl: 60, now: () => Date.parse(v.now) });
    t.expect(back === v.src, 'fernet generate: round trip');
  }
  for (const v of sealedOnNode) {
    const back = await unsealData(v.sealed, { password: v.password });
    t.expect(sameJson(back, v.expected), `${v.format} sealed on Node unseals here`);
    const again = await sealData(v.expected, { password: v.password, format: v.format });
    t.expect(sameJson(await unsealData(again, { password: v.password }), v.expected), `${v.format}: round trip`);
  }
}

/** @param {ConformanceContext} context @param {{ now?: () => number }} [extra] */
function managerFor(context, extra = {}) {
  return new SessionManager({
    clientId: context.clientId,
    apiKey: context.apiKey,
    cookiePassword: context.password,
    baseUrl: context.emulatorUrl,
    ...extra,
  });
}

/**
 * Authenticate (JWKS fetched from the emulator, RS256 checked here), refresh into an organization
 * (a refresh grant over `fetch`), authenticate the new cookie, and see it expire with a clock
 * moved two hours on. Returns the refreshed cookie for the handler suite: the original one's
 * refresh token is spent.
 * @param {ConformanceContext} context @param {ReturnType<typeof recorder>} t
 */
async function emulatorSuite(context, t) {
  const sessions = managerFor(context);
  const first = await sessions.loadSealedSession({ sessionData: context.cookie }).authenticate();
  t.expect(first.authenticated === true, `authenticates the cookie sealed on Node (got ${first.reason ?? 'ok'} ${first.detail ?? ''})`);
  t.expect(first.user?.email === context.email, 'the user is the one who signed in');

  const refreshed = await sessions.loadSealedSession({ sessionData: context.cookie }).refresh({ organizationId: context.organizationId });
  t.expect(refreshed.authenticated === true, `refreshes into the organization (got ${refreshed.reason ?? 'ok'})`);
  if (!refreshed.authenticated) return undefined;
  t.expect(refreshed.organizationId === context.organizationId && refreshed.role === 'admin', 'the new token carries the organization and role');
  t.expect(refreshed.sealedSession !== context.cookie, 'refresh seals a new cookie');

  const again = await sessions.authenticateWithSessionCookie({ sessionData: refreshed.sealedSession });
  t.expect(again.authenticated === true && again.organizationId === context.organizationId, 'the refreshed cookie authenticates with its organization');

  const later = managerFor(context, { now: () => Date.now() + 2 * 3600 * 1000 });
  const expired = await later.loadSealedSession({ sessionData: refreshed.sealedSession }).authenticate();
  t.expect(
    expired.authenticated === false && expired.reason === 'invalid_jwt' && expired.refreshable === true,
    `two hours later the access token has expired and is refreshable (got ${expired.reason ?? 'authenticated'})`,
  );

  const junk = await sessions.loadSealedSession({ sessionData: 'Fe26.2**not-a-cookie' }).authenticate();
  t.expect(junk.authenticated === false && junk.reason === 'invalid_session_cookie', 'a bad cookie is refused, never thrown');
  return refreshed.sealedSession;
}

const APP = 'http://localhost:8787';

/** `name=value` pairs of Set-Cookie headers, as a browser would send them back. */
function cookieHeaderOf(response) {
  const values = typeof response.headers.getSetCookie === 'function' ? response.headers.getSetCookie() : [response.headers.get('set-cookie') ?? ''];
  return values
    .filter((value) => value && !/max-age=0/i.test(value))
    .map((value) => value.split(';')[0])
    .join('; ');
}

/**
 * The Fetch layer: the request authenticator on a cookie-carrying `Request`, and the session
 * handler's whole sign-in (sign-in redirect → the emulator's authorize → callback → cookie).
 * @param {ConformanceContext} context @param {ReturnType<typeof recorder>} t @param {string | undefined} cookie
 */
async function handlerSuite(context, t, cookie) {
  const sessions = managerFor(context);
  const authenticator = createRequestAuthenticator({ sessions, cookie: { url: APP } });
  const name = authenticator.cookie.name;

  if (cookie) {
    const { session, setCookies } = await authenticator.authenticate(new Request(`${APP}/`, { headers: { cookie: `${name}=${cookie}` } }));
    t.expect(session.authenticated === true && session.user.email === context.email, `a Request with the cookie is signed in (got ${session.reason ?? 'ok'})`);
    t.expect(setCookies.length === 0, 'a fresh session sets no cookie');
  } else {
    t.expect(false, 'no refreshed cookie from the emulator suite to authenticate');
  }
  const anonymous = await authenticator.authenticate(new Request(`${APP}/`));
  t.expect(anonymous.session.authenticated === false && anonymous.session.reason === 'no_session_cookie_provided', 'a Request without a cookie is signed out');

  const handler = createSessionHandler({ sessions, redirectUri: `${APP}/auth/callback` });
  const signIn = await handler.handle(new Request(`${APP}/auth/sign-in?returnTo=/dashboard&loginHint=${encodeURIComponent(context.email)}`));
  const authorize = new URL(signIn?.headers.get('location') ?? 'about:blank');
  t.expect(signIn?.status === 302 && authorize.origin === new URL(context.emulatorUrl).origin, 'sign-in redirects to the provider');
  t.expect(authorize.searchParams.get('code_challenge_method') === 'S256' && !!authorize.searchParams.get('state'), 'with PKCE and a state');
  const stateCookie = cookieHeaderOf(signIn);
  t.expect(stateCookie.length > 0, 'and a sealed state cookie');

  const provider = await fetch(authorize, { redirect: 'manual' });
  const callbackUrl = provider.headers.get('location') ?? '';
  await provider.body?.cancel();
  t.expect(callbackUrl.startsWith(`${APP}/auth/callback?`), `the provider sends the browser back with a code (status ${provider.status})`);

  const callback = await handler.handle(new Request(callbackUrl, { headers: { cookie: stateCookie } }));
  t.expect(callback?.status === 302 && callback.headers.get('location') === '/dashboard', `the callback lands on the return path (status ${callback?.status})`);
  const sessionCookie = callback ? cookieHeaderOf(callback) : '';
  const page = await handler.authenticate(new Request(`${APP}/dashboard`, { headers: { cookie: sessionCookie } }));
  t.expect(page.session.authenticated === true && page.session.user.email === context.email, 'the cookie it set is a signed-in session');

  const me = await handler.handle(new Request(`${APP}/auth/session`, { headers: { cookie: sessionCookie } }));
  const body = me ? await me.json() : {};
  t.expect(me?.status === 200 && JSON.stringify(body).includes(context.email) && !JSON.stringify(body).includes('accessToken'), 'the session route answers without tokens');
}

/** Runs one suite, turning a throw into a failure so the other suites still run. */
async function runSuite(name, fn) {
  const t = recorder();
  const started = Date.now();
  let value;
  try {
    value = await fn(t);
  } catch (error) {
    t.failures.push(`threw ${error?.name}: ${error?.message}`);
  }
  return { result: { suite: name, ok: t.failures.length === 0 && t.checks > 0, checks: t.checks, failures: t.failures, ms: Date.now() - started }, value };
}

/**
 * Runs the three suites in order (the handler suite uses the cookie the emulator suite refreshed).
 * @param {ConformanceContext} context
 * @param {(result: SuiteResult) => void} [report] called as each suite ends
 * @returns {Promise<SuiteResult[]>}
 */
export async function runConformance(context, report = () => {}) {
  const results = [];
  const done = (result) => {
    results.push(result);
    report(result);
  };
  done((await runSuite('vectors', (t) => vectorsSuite(context, t))).result);
  const emulator = await runSuite('emulator', (t) => emulatorSuite(context, t));
  done(emulator.result);
  done((await runSuite('handler', (t) => handlerSuite(context, t, emulator.value))).result);
  return results;
}
