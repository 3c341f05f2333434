/**
 * A Cloudflare Worker signing users in with WorkOS AuthKit: the auth routes under `/auth`, a
 * protected `/dashboard`, a public `/`.
 *
 * wrangler.toml needs no `nodejs_compat` flag: the package root uses Web standards only.
 *
 *   [vars]
 *   APP_URL = "https://app.example.com"
 *   WORKOS_CLIENT_ID = "client_…"
 *   # secrets: wrangler secret put WORKOS_API_KEY / WORKOS_COOKIE_PASSWORD
 *
 *   # One Durable Object per refresh token: every isolate and location refreshes a session once.
 *   [[durable_objects.bindings]]
 *   name = "REFRESH_STORE"
 *   class_name = "RefreshStoreObject"
 *
 *   [[migrations]]
 *   tag = "v1"
 *   new_sqlite_classes = ["RefreshStoreObject"]
 *
 * `npm run test:runtimes` runs this file in workerd against the WorkOS emulator.
 */
import { createSessionHandler, SessionManager, withCookies, type SessionHandler } from 'sealed-session';
import { createDurableObjectRefreshStore, type RefreshStoreNamespace } from 'sealed-session/cloudflare';
import { RefreshCoordinator } from 'sealed-session/refresh';

// wrangler instantiates the class bound as REFRESH_STORE from the Worker's entry module.
export { RefreshStoreObject } from 'sealed-session/cloudflare';

export interface Env {
  /** The Worker's public origin; the callback is `${APP_URL}/auth/callback`. */
  APP_URL: string;
  WORKOS_CLIENT_ID: string;
  WORKOS_API_KEY: string;
  WORKOS_COOKIE_PASSWORD: string;
  /** The Durable Object namespace bound to `RefreshStoreObject`. */
  REFRESH_STORE: RefreshStoreNamespace;
  /** Only to point at another API host (an emulator in tests). */
  WORKOS_BASE_URL?: string;
}

// One handler per isolate: the JWKS cache and the refresh coordinator live as long as it does,
// so most requests cost one signature check and no call to WorkOS. Bindings only exist inside
// `fetch`, hence built on the first request rather than at module scope.
let cached: { env: Env; auth: SessionHandler } | undefined;

function authFor(env: Env): SessionHandler {
  if (cached?.env === env) return cached.auth;
  const sessions = new SessionManager({
    clientId: env.WORKOS_CLIENT_ID,
    apiKey: env.WORKOS_API_KEY,
    cookiePassword: env.WORKOS_COOKIE_PASSWORD,
    baseUrl: env.WORKOS_BASE_URL,
  });
  const coordinator = new RefreshCoordinator({ store: createDurableObjectRefreshStore(env.REFRESH_STORE) });
  const auth = createSessionHandler({ sessions, redirectUri: new URL('/auth/callback', env.APP_URL).href, coordinator });
  cached = { env, auth };
  return auth;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string, status = 200): Response {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

async function dashboard(request: Request, auth: SessionHandler): Promise<Response> {
  const { session, setCookies } = await auth.authenticate(request);
  if (!session.authenticated) {
    const url = new URL(request.url);
    // Clearing a dead cookie on the way to sign-in keeps it from being retried on every page.
    const response = new Response(null, { status: 302, headers: { location: auth.signInPath(url.pathname + url.search) } });
    return withCookies(response, setCookies);
  }
  const who = escapeHtml(session.user.email);
  const org = session.organizationId ? `<p>Organization <code>${escapeHtml(session.organizationId)}</code> as ${escapeHtml(session.role ?? 'member')}</p>` : '';
  const signOut = `<form method="post" action="${auth.paths.signOut}"><button>Sign out</button></form>`;
  const response = page('Dashboard', `<h1>Signed in as ${who}</h1>${org}${signOut}`);
  // The page shows who is signed in: no shared cache may keep it.
  response.headers.set('cache-control', 'private, no-store');
  return withCookies(response, setCookies);
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const auth = authFor(env);
    const routed = await auth.handle(request);
    if (routed) return routed;
    const { pathname } = new URL(request.url);
    if (pathname === '/dashboard') return dashboard(request, auth);
    if (pathname === '/') return page('Home', `<h1>Welcome</h1><p><a href="${auth.signInPath('/dashboard')}">Sign in</a></p>`);
    return page('Not found', '<h1>Not found</h1>', 404);
  },
};
