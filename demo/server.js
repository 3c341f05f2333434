// Acme Workspace: a small web app that signs people in with WorkOS AuthKit (here, WorkOS's
// emulator) and keeps their session in a sealed cookie with `sealed-session`.
//
//   npm start                        emulator on :4100, app on http://localhost:3000
//   PORT=8080 EMULATOR_PORT=4200 npm start
//   SEAL_FORMAT=fernet npm start     cookies in workos-python's Fernet format
//   ACCESS_TOKEN_TTL=90 npm start    access tokens that expire after 90 s, to watch refreshes
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { SessionManager, createSessionHandler } from 'sealed-session';
import { RefreshCoordinator } from 'sealed-session/refresh';
import {
  COOKIE_SIZE_BUDGET,
  DEFAULT_MAX_CHUNKS,
  parseCookieHeader,
  readChunkedCookie,
  setCookieByteLength,
  writeChunkedCookie,
} from 'sealed-session/cookies';
import { createDirectory } from './directory.js';
import { profilePage, signInPage, signedOutPage } from './pages.js';

const ASSETS = {
  'app.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'icon.svg': 'image/svg+xml',
};

const FORMATS = {
  iron: { label: 'Iron (Fe26.2)', cipher: 'AES-256-CBC and HMAC-SHA256' },
  fernet: { label: 'Fernet', cipher: 'AES-128-CBC and HMAC-SHA256' },
};

/**
 * @typedef {{ url: string, apiKey: string, clientId: string }} Provider
 * @typedef {import('sealed-session').RequestSession} RequestSession
 */

/** Lifetime of the emulator's access tokens, in seconds (it has no setting for it). */
const EMULATOR_TOKEN_TTL_SEC = 3600;

/**
 * The app's clock for tokens that should seem to live `ttlSec`: the emulator's tokens live an
 * hour, so the app's clock runs ahead by the difference and sees them expire after `ttlSec`.
 * @param {number | undefined} ttlSec
 */
function demoClock(ttlSec) {
  const ahead = ttlSec === undefined ? 0 : (EMULATOR_TOKEN_TTL_SEC - ttlSec) * 1000;
  return () => Date.now() + ahead;
}

/** A Fernet key is also a valid Iron password, so one secret serves both formats. */
function generateCookiePassword() {
  return randomBytes(32).toString('base64url');
}

async function loadAssets() {
  const dir = new URL('./public/', import.meta.url);
  /** @type {Map<string, { body: string, type: string }>} */
  const assets = new Map();
  for (const [name, type] of Object.entries(ASSETS)) {
    assets.set(name, { body: await readFile(new URL(name, dir), 'utf8'), type });
  }
  return assets;
}

/**
 * The cookie as the browser now holds it: the one this response sets when the session was
 * refreshed on the way in, otherwise the one the request carried.
 * @param {Request} request @param {string[]} setCookies @param {string} name
 */
function currentCookieValue(request, setCookies, name) {
  /** @type {Map<string, string>} */
  const written = new Map();
  for (const header of setCookies) {
    const pair = header.slice(0, header.indexOf(';') === -1 ? undefined : header.indexOf(';'));
    const eq = pair.indexOf('=');
    if (eq > 0 && eq < pair.length - 1) written.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const read = readChunkedCookie(written.size > 0 ? written : parseCookieHeader(request.headers), name);
  return read.status === 'ok' ? read.value : '';
}

/**
 * @param {{ name: string, options: import('sealed-session/cookies').CookieOptions }} cookie
 * @param {string} value @param {import('sealed-session').SealFormat} format
 */
function cookieStats(cookie, value, format) {
  const headers = value ? writeChunkedCookie({ name: cookie.name, value, options: cookie.options }) : [];
  const attributes = headers[0]?.slice(headers[0].indexOf(';') + 2) ?? '';
  return {
    name: cookie.name,
    format: FORMATS[format].label,
    cipher: FORMATS[format].cipher,
    valueBytes: value.length,
    largestHeaderBytes: Math.max(0, ...headers.map(setCookieByteLength)),
    budget: COOKIE_SIZE_BUDGET,
    chunks: headers.length > 1 ? headers.length : 0,
    maxChunks: DEFAULT_MAX_CHUNKS,
    attributes,
  };
}

/** @param {string} providerOrigin */
function securityHeaders(providerOrigin) {
  return {
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
      "connect-src 'self'",
      // Sign-out posts here and is redirected through the provider's logout page.
      `form-action 'self' ${providerOrigin}`,
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  };
}

/**
 * Starts the demo app.
 * @param {{
 *   emulator: Provider,
 *   port?: number,
 *   hostname?: string,
 *   cookiePassword?: string | string[],
 *   sealFormat?: import('sealed-session').SealFormat,
 *   accessTokenTtlSec?: number,
 * }} options
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startDemo(options) {
  const { emulator } = options;
  const assets = await loadAssets();
  const sessions = new SessionManager({
    clientId: emulator.clientId,
    apiKey: emulator.apiKey,
    baseUrl: emulator.url,
    cookiePassword: options.cookiePassword ?? process.env.WORKOS_COOKIE_PASSWORD ?? generateCookiePassword(),
    sealFormat: options.sealFormat ?? 'iron',
    now: demoClock(options.accessTokenTtlSec),
  });
  // Shared by the auth routes and the demo's own switch below: one refresh per token, whoever asks.
  const coordinator = new RefreshCoordinator({ now: () => sessions.now() });
  const directory = createDirectory({ baseUrl: emulator.url, apiKey: emulator.apiKey });
  const provider = emulator.url;
  const headers = securityHeaders(new URL(emulator.url).origin);

  let origin = '';
  /** @type {import('sealed-session').SessionHandler | undefined} */
  let handler;
  // The redirect URI names the port, known only once the server listens (port 0 in tests).
  const auth = () =>
    (handler ??= createSessionHandler({
      sessions,
      redirectUri: `${origin}/auth/callback`,
      afterSignOutUrl: `${origin}/signed-out`,
      coordinator,
      // Short demo tokens refresh half-way through, as the library does for any short token.
      refreshBufferSec: options.accessTokenTtlSec === undefined ? undefined : Math.min(60, Math.floor(options.accessTokenTtlSec / 2)),
    }));

  /** @type {Hono<{ Variables: { session: RequestSession, setCookies: string[] } }>} */
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(headers)) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  });
  app.get('/assets/:name', (c) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'no-cache' });
  });
  app.get('/favicon.ico', (c) => c.redirect('/assets/icon.svg', 301));
  app.all('/auth/*', async (c, next) => (await auth().handle(c.req.raw)) ?? next());
  app.use('*', async (c, next) => {
    const { session, setCookies } = await auth().authenticate(c.req.raw);
    c.set('session', session);
    c.set('setCookies', setCookies);
    await next();
    // A route that wrote a newer cookie itself has emptied the list.
    for (const cookie of c.get('setCookies')) c.res.headers.append('set-cookie', cookie);
    if (c.get('setCookies').length > 0) c.res.headers.set('cache-control', 'no-store');
  });

  app.get('/', async (c) => {
    const session = c.get('session');
    if (!session.authenticated) return c.redirect('/sign-in');
    const value = currentCookieValue(c.req.raw, c.get('setCookies'), auth().cookie.name);
    const organizations = await directory.memberships(session.user.id).catch(() => undefined);
    const only = organizations?.length === 1 ? organizations[0] : undefined;
    if (only && !session.organizationId) {
      // One organization: enter it at once rather than offer a choice of one.
      const refreshed = await sessions.loadSealedSession({ sessionData: value }).refresh({ organizationId: only.id, coordinator });
      if (refreshed.authenticated) {
        c.set('setCookies', []);
        const response = c.redirect('/', 303);
        for (const cookie of auth().writeCookie(c.req.raw, refreshed.sealedSession)) response.headers.append('set-cookie', cookie);
        response.headers.set('cache-control', 'no-store');
        return response;
      }
    }
    const page = profilePage({
      session,
      organizations,
      cookie: cookieStats(auth().cookie, value, session.sealFormat),
      now: sessions.now(),
      tokenLifetimeSec: options.accessTokenTtlSec,
      notice: c.req.query('notice') ?? null,
      provider,
    });
    return c.html(page.toString(), 200, { 'cache-control': 'no-store' });
  });

  app.get('/sign-in', async (c) => {
    if (c.get('session').authenticated) return c.redirect('/');
    const users = await directory.users().catch(() => []);
    const error = users.length === 0 ? 'The identity provider is not answering. Is the emulator running?' : undefined;
    return c.html(signInPage({ users, provider, returnTo: '/', error }).toString(), users.length ? 200 : 503);
  });

  app.get('/signed-out', (c) => {
    if (c.get('session').authenticated) return c.redirect('/');
    return c.html(signedOutPage({ provider }).toString());
  });

  const server = serve({ fetch: app.fetch, port: options.port ?? 3000, hostname: options.hostname });
  await new Promise((resolve, reject) => {
    server.once('listening', () => resolve(undefined));
    server.once('error', reject);
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  origin = `http://localhost:${address.port}`;
  return {
    url: origin,
    port: address.port,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/** @param {string | undefined} value @param {number} fallback */
function portFrom(value, fallback) {
  const port = Number(value ?? fallback);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`not a port: ${value}`);
  return port;
}

/** @param {string | undefined} value */
function ttlFrom(value) {
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 10 || seconds > EMULATOR_TOKEN_TTL_SEC) {
    throw new Error(`ACCESS_TOKEN_TTL must be a whole number of seconds from 10 to ${EMULATOR_TOKEN_TTL_SEC}, got ${JSON.stringify(value)}`);
  }
  return seconds;
}

async function main() {
  const { startEmulator } = await import('./emulator.js');
  const port = portFrom(process.env.PORT, 3000);
  const emulatorPort = portFrom(process.env.EMULATOR_PORT, 4100);
  const sealFormat = process.env.SEAL_FORMAT === 'fernet' ? 'fernet' : 'iron';
  const accessTokenTtlSec = ttlFrom(process.env.ACCESS_TOKEN_TTL);
  const emulator = await startEmulator({ port: emulatorPort }).catch((error) => {
    // Another emulator (or anything else) on the port: take any free one instead.
    if (error?.code !== 'EADDRINUSE' && !String(error?.message).includes('EADDRINUSE')) throw error;
    return startEmulator({ port: 0 });
  });
  let demo;
  try {
    demo = await startDemo({ port, emulator, sealFormat, accessTokenTtlSec });
  } catch (error) {
    await emulator.close();
    if (/** @type {{ code?: string }} */ (error)?.code === 'EADDRINUSE') {
      console.error(`Port ${port} is in use. Start on another one with PORT=3001 npm start.`);
      process.exit(1);
    }
    throw error;
  }
  console.log(`
  Acme Workspace        ${demo.url}
  WorkOS emulator       ${emulator.url}   (client ${emulator.clientId})
  Cookie format         ${sealFormat === 'fernet' ? 'Fernet (SEAL_FORMAT=fernet)' : 'Iron (set SEAL_FORMAT=fernet for Fernet)'}
  Access tokens         ${accessTokenTtlSec === undefined ? '1 hour (set ACCESS_TOKEN_TTL=90 to watch refreshes)' : `${accessTokenTtlSec} s as the app sees them (ACCESS_TOKEN_TTL)`}

  Sign in as alice@acme.test (Acme Corp admin, Globex member) or bob@globex.test (Globex admin).
  Ctrl-C stops both.
`);
  const startedAt = Number(process.env.DEMO_STARTED_AT_MS);
  if (startedAt > 0) console.log(`  Listening ${((Date.now() - startedAt) / 1000).toFixed(1)} s after npm start (install, build, start).\n`);
  const stop = async () => {
    // A browser's keep-alive connection must not hold the process open.
    setTimeout(() => process.exit(0), 2000).unref();
    await demo.close();
    await emulator.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
