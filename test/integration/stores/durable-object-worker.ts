/**
 * The Worker of the Durable Object store test, bundled and served by workerd: the app of the
 * refresh storm (`/auth/*` and `GET /api/me`, as test/support/web-app.ts serves it in Node) with
 * a coordinator on the Durable Object store, plus two routes for the test's own use:
 * `POST /__store/<method>` calls the store as the app holds it, `POST /__object/<operation>?name=`
 * sends a raw body to one object.
 */
import { createDurableObjectRefreshStore, type RefreshStoreNamespace } from '../../../src/cloudflare/index.js';
import { createSessionHandler, type SessionHandler, SessionManager } from '../../../src/index.js';
import { RefreshCoordinator, type RefreshStore } from '../../../src/refresh/index.js';

export { RefreshStoreObject } from '../../../src/cloudflare/index.js';

interface Env {
  REFRESH_STORE: RefreshStoreNamespace;
  /** Set on the storm's apps only. */
  WORKOS_CLIENT_ID?: string;
  WORKOS_API_KEY?: string;
  WORKOS_BASE_URL?: string;
  WORKOS_ISSUER?: string;
  COOKIE_PASSWORD?: string;
  CLOCK_OFFSET_MS?: string;
}

const METHODS = new Set(['claim', 'settle', 'renew', 'endSession', 'isSessionEnded']);

let cached: { env: Env; auth: SessionHandler; store: RefreshStore } | undefined;

function appFor(env: Env, origin: string): { auth: SessionHandler; store: RefreshStore } {
  if (cached?.env === env) return cached;
  const store = createDurableObjectRefreshStore(env.REFRESH_STORE);
  const offset = Number(env.CLOCK_OFFSET_MS ?? 0);
  const sessions = new SessionManager({
    clientId: env.WORKOS_CLIENT_ID ?? 'client_unused',
    apiKey: env.WORKOS_API_KEY ?? 'sk_unused',
    cookiePassword: env.COOKIE_PASSWORD ?? 'unused-password-of-32-characters!',
    baseUrl: env.WORKOS_BASE_URL,
    issuer: env.WORKOS_ISSUER,
    now: () => Date.now() + offset,
  });
  const coordinator = new RefreshCoordinator({ store, pollIntervalMs: 20 });
  const auth = createSessionHandler({ sessions, redirectUri: `${origin}/auth/callback`, coordinator });
  cached = { env, auth, store };
  return cached;
}

async function callStore(store: RefreshStore, method: string, request: Request): Promise<Response> {
  if (!METHODS.has(method)) return Response.json({ error: 'no such method' }, { status: 404 });
  const args = (await request.json()) as unknown[];
  try {
    const value: unknown = await (store[method as keyof RefreshStore] as (...args: unknown[]) => Promise<unknown>)(...args);
    return Response.json({ value: value ?? null });
  } catch (error) {
    return Response.json({ error: String(error), code: (error as { code?: string }).code }, { status: 500 });
  }
}

async function me(request: Request, auth: SessionHandler): Promise<Response> {
  const { session, setCookies } = await auth.authenticate(request);
  const body = session.authenticated
    ? { authenticated: true, email: session.user.email, refreshed: session.refreshed, sessionId: session.sessionId }
    : { authenticated: false, reason: session.reason, retryable: session.retryable, detail: session.detail, retryAfter: session.retryAfter };
  const response = Response.json(body, { status: session.authenticated ? 200 : 401 });
  for (const cookie of setCookies) response.headers.append('set-cookie', cookie);
  return response;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const { auth, store } = appFor(env, url.origin);
    if (url.pathname.startsWith('/__store/')) return callStore(store, url.pathname.slice('/__store/'.length), request);
    if (url.pathname.startsWith('/__object/')) {
      const stub = env.REFRESH_STORE.get(env.REFRESH_STORE.idFromName(url.searchParams.get('name') ?? ''));
      const forwarded = new Request(`https://refresh-store/${url.pathname.slice('/__object/'.length)}`, { method: request.method, body: request.body });
      return stub.fetch(forwarded);
    }
    const routed = await auth.handle(request);
    if (routed) return routed;
    if (url.pathname === '/api/me') return me(request, auth);
    return new Response(null, { status: 204 });
  },
};
