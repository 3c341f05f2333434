/**
 * The identity provider at the `fetch` edge, for fast unit tests of `session/`: it answers the
 * calls the library makes (code and refresh grants, the JWKS, session revocation) and the
 * sign-in redirect from memory, with access tokens signed by a key generated for each provider.
 * It keeps the rules a test can trip over: codes and refresh tokens are single use, PKCE is
 * checked, a revoked session refreshes no more, the client secret must match. Integration
 * tests use the WorkOS emulator instead.
 */
import { createHash } from 'node:crypto';
import type { SessionManagerOptions } from '../../src/index.js';
import { createSigner, type TestSigner } from './tokens.js';

/** A user as the provider sends it: snake_case. */
export interface WireUser {
  object: 'user';
  id: string;
  email: string;
  email_verified: boolean;
  first_name: string | null;
  last_name: string | null;
  profile_picture_url: string | null;
  last_sign_in_at: string | null;
  created_at: string;
  updated_at: string;
  external_id: string | null;
  metadata: Record<string, string>;
  [extra: string]: unknown;
}

/** The user's role and permissions in an organization, as they appear in its access tokens. */
export interface Membership {
  role: string;
  permissions?: string[];
}

/** A request the provider received. */
export interface RecordedRequest {
  method: string;
  /** Path and query, without the base URL. */
  path: string;
  headers: Headers;
  /** The JSON body, when there was one. */
  body: Record<string, unknown> | undefined;
}

/**
 * A fault for the next request to a path: an answer with this status (and JSON body, or text
 * for a string), a connection that fails like an unreachable host, or no answer until the
 * request's deadline aborts it.
 */
export type Fault = { status: number; body?: unknown; headers?: Record<string, string> } | 'network_error' | 'hang';

export interface FakeProviderOptions {
  clientId?: string;
  /** The client secret the grants must carry; `null` for a public client (PKCE only). */
  apiKey?: string | null;
  baseUrl?: string;
  /** Clock of the tokens' `iat` and `exp`, in milliseconds. Share it with the manager's `now`. */
  now?: () => number;
  /** Lifetime of access tokens. Default 300 s, as WorkOS issues them. */
  accessTokenTtlSec?: number;
}

export interface FakeProvider {
  readonly clientId: string;
  readonly apiKey: string | undefined;
  readonly baseUrl: string;
  /** The `kid` of the provider's signing key. */
  readonly kid: string;
  /** Pass as the manager's `fetch`. */
  readonly fetch: typeof fetch;
  /** The options that point a `SessionManager` here (no environment fallbacks): add a `cookiePassword`. */
  readonly managerOptions: Required<Pick<SessionManagerOptions, 'clientId' | 'baseUrl' | 'fetch' | 'now' | 'env'>> & Pick<SessionManagerOptions, 'apiKey'>;
  /** Every request, oldest first. */
  readonly requests: RecordedRequest[];
  /** While true, the JWKS fails like an unreachable host. */
  jwksDown: boolean;
  /** Adds a user; returns it as the provider sends it. */
  addUser(fields: Partial<WireUser> & { email: string }, memberships?: Record<string, Membership>): WireUser;
  /** A sign-in code for `userId`, as the redirect after a sign-in carries it. */
  issueCode(userId: string, options?: { organizationId?: string; codeChallenge?: string; impersonator?: { email: string; reason: string | null } }): string;
  /** Ends a session here, as a sign-out elsewhere would: its refresh tokens stop working. */
  revoke(sessionId: string): void;
  /** Whether a session was revoked, by {@link revoke} or through the API. */
  isRevoked(sessionId: string): boolean;
  /** The claims of an access token issued now, with `extra` on top (`undefined` drops a claim). */
  claims(extra?: Record<string, unknown>): Record<string, unknown>;
  /** Signs `claims` with the provider's key, as its access tokens are signed; `header` on top. */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** Makes the next request to `path` fail with `fault` instead of being served. */
  faultNext(path: string, fault: Fault): void;
  /** The requests to `path`. */
  requestsTo(path: string): RecordedRequest[];
}

const AUTHENTICATE = '/user_management/authenticate';
const REVOKE = '/user_management/sessions/revoke';
const AUTHORIZE = '/user_management/authorize';

interface CodeGrant {
  userId: string;
  organizationId: string | undefined;
  codeChallenge: string | undefined;
  impersonator: { email: string; reason: string | null } | undefined;
}

interface RefreshGrant {
  userId: string;
  organizationId: string | undefined;
  sessionId: string;
  impersonator: { email: string; reason: string | null } | undefined;
  spent: boolean;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

function oauthError(status: number, error: string, description: string): Response {
  return json(status, { error, error_description: description });
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function faultResponse(fault: Fault, signal: AbortSignal | null): Promise<Response> {
  if (fault === 'network_error') return Promise.reject(new TypeError('fetch failed'));
  if (fault === 'hang') {
    return new Promise((_resolve, reject) => {
      if (!signal) return;
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }
  const body = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body ?? {});
  return Promise.resolve(new Response(body, { status: fault.status, headers: { 'content-type': 'application/json', ...fault.headers } }));
}

export async function createFakeProvider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const clientId = options.clientId ?? 'client_fake';
  const apiKey = options.apiKey === null ? undefined : (options.apiKey ?? 'sk_test_fake');
  const baseUrl = options.baseUrl ?? 'https://idp.test';
  const now = options.now ?? Date.now;
  const ttlSec = options.accessTokenTtlSec ?? 300;
  const signer: TestSigner = await createSigner(`fake_${clientId}`);

  const users = new Map<string, WireUser>();
  const memberships = new Map<string, Record<string, Membership>>();
  const codes = new Map<string, CodeGrant>();
  const refreshTokens = new Map<string, RefreshGrant>();
  const revoked = new Set<string>();
  const faults = new Map<string, Fault[]>();
  const requests: RecordedRequest[] = [];
  let serial = 0;
  const nextId = (prefix: string) => `${prefix}_${String(++serial).padStart(8, '0')}`;

  const claims = (extra: Record<string, unknown> = {}) => {
    const iat = Math.floor(now() / 1000);
    return { iss: baseUrl, aud: clientId, iat, exp: iat + ttlSec, ...extra };
  };
  const sign = (payload: Record<string, unknown>, header: Record<string, unknown> = {}) => signer.sign(payload, header);

  async function tokens(grant: Omit<RefreshGrant, 'spent'>, method: string | undefined): Promise<Response> {
    const user = users.get(grant.userId)!;
    const membership = grant.organizationId ? memberships.get(grant.userId)?.[grant.organizationId] : undefined;
    const accessToken = await sign(claims({
      sub: grant.userId,
      sid: grant.sessionId,
      org_id: grant.organizationId,
      role: membership?.role,
      permissions: membership?.permissions,
    }));
    const refreshToken = nextId('refresh');
    refreshTokens.set(refreshToken, { ...grant, spent: false });
    return json(200, {
      user,
      organization_id: grant.organizationId ?? null,
      access_token: accessToken,
      refresh_token: refreshToken,
      ...(method ? { authentication_method: method } : {}),
      ...(grant.impersonator ? { impersonator: grant.impersonator } : {}),
    });
  }

  function authenticate(body: Record<string, unknown>): Promise<Response> | Response {
    if (body.client_id !== clientId) return oauthError(400, 'invalid_client', 'Unknown client');
    if (apiKey !== undefined && body.client_secret !== apiKey) return oauthError(401, 'invalid_client', 'Invalid client secret');
    if (body.grant_type === 'authorization_code') {
      const code = typeof body.code === 'string' ? codes.get(body.code) : undefined;
      if (!code) return oauthError(400, 'invalid_grant', 'The code is invalid or was used');
      codes.delete(body.code as string);
      if (code.codeChallenge !== undefined && (typeof body.code_verifier !== 'string' || s256(body.code_verifier) !== code.codeChallenge)) {
        return oauthError(400, 'invalid_grant', 'The code verifier does not match the challenge');
      }
      if (apiKey === undefined && code.codeChallenge === undefined) return oauthError(400, 'invalid_request', 'A public client must use PKCE');
      return tokens({ ...code, sessionId: nextId('session') }, 'Password');
    }
    if (body.grant_type === 'refresh_token') {
      const grant = typeof body.refresh_token === 'string' ? refreshTokens.get(body.refresh_token) : undefined;
      if (!grant || grant.spent || revoked.has(grant.sessionId)) return oauthError(400, 'invalid_grant', 'The refresh token is invalid, used or revoked');
      grant.spent = true;
      const organizationId = typeof body.organization_id === 'string' ? body.organization_id : grant.organizationId;
      // How the user signed in is the sign-in's to say; a refresh says nothing of it.
      return tokens({ ...grant, organizationId }, undefined);
    }
    return oauthError(400, 'unsupported_grant_type', 'Unsupported grant_type');
  }

  function authorize(url: URL): Response {
    const redirectUri = url.searchParams.get('redirect_uri');
    const email = url.searchParams.get('login_hint');
    const user = [...users.values()].find((candidate) => candidate.email === email);
    if (url.searchParams.get('client_id') !== clientId || !redirectUri || !user) return json(400, { code: 'invalid_request' });
    const challenge = url.searchParams.get('code_challenge') ?? undefined;
    if (challenge !== undefined && url.searchParams.get('code_challenge_method') !== 'S256') return json(400, { code: 'invalid_request' });
    const back = new URL(redirectUri);
    back.searchParams.set('code', issueCode(user.id, { codeChallenge: challenge, organizationId: url.searchParams.get('organization_id') ?? undefined }));
    const state = url.searchParams.get('state');
    if (state !== null) back.searchParams.set('state', state);
    return new Response(null, { status: 302, headers: { location: back.toString() } });
  }

  function issueCode(userId: string, grant: { organizationId?: string; codeChallenge?: string; impersonator?: { email: string; reason: string | null } } = {}): string {
    if (!users.has(userId)) throw new Error(`no user ${userId}`);
    const code = nextId('code');
    codes.set(code, { userId, organizationId: grant.organizationId, codeChallenge: grant.codeChallenge, impersonator: grant.impersonator });
    return code;
  }

  const fetchFn: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(`${baseUrl}/`)) throw new TypeError('fetch failed');
    const url = new URL(request.url);
    const text = await request.text();
    let body: Record<string, unknown> | undefined;
    if (text) body = JSON.parse(text) as Record<string, unknown>;
    requests.push({ method: request.method, path: url.pathname + url.search, headers: request.headers, body });
    const fault = faults.get(url.pathname)?.shift();
    if (fault) return faultResponse(fault, request.signal);

    if (request.method === 'GET' && url.pathname === `/sso/jwks/${clientId}`) {
      if (provider.jwksDown) throw new TypeError('fetch failed');
      return json(200, signer.jwks);
    }
    if (request.method === 'GET' && url.pathname === AUTHORIZE) return authorize(url);
    if (request.method === 'POST' && url.pathname === AUTHENTICATE) return authenticate(body ?? {});
    if (request.method === 'POST' && url.pathname === REVOKE) {
      if (request.headers.get('authorization') !== `Bearer ${apiKey}`) return json(401, { code: 'unauthorized' });
      if (typeof body?.session_id !== 'string') return json(422, { code: 'invalid_request' });
      revoked.add(body.session_id);
      return new Response(null, { status: 200 });
    }
    return json(404, { code: 'not_found', message: 'Not Found' });
  };

  const provider: FakeProvider = {
    clientId,
    apiKey,
    baseUrl,
    kid: signer.kid,
    fetch: fetchFn,
    managerOptions: { clientId, apiKey, baseUrl, fetch: fetchFn, now, env: {} },
    requests,
    jwksDown: false,
    addUser(fields, userMemberships = {}) {
      const stamp = new Date(now()).toISOString();
      const user: WireUser = {
        object: 'user',
        id: nextId('user'),
        email_verified: true,
        first_name: null,
        last_name: null,
        profile_picture_url: null,
        last_sign_in_at: null,
        created_at: stamp,
        updated_at: stamp,
        external_id: null,
        metadata: {},
        ...fields,
      };
      users.set(user.id, user);
      memberships.set(user.id, userMemberships);
      return user;
    },
    issueCode,
    revoke: (sessionId) => void revoked.add(sessionId),
    isRevoked: (sessionId) => revoked.has(sessionId),
    claims,
    sign,
    faultNext(path, fault) {
      faults.set(path, [...(faults.get(path) ?? []), fault]);
    },
    requestsTo: (path) => requests.filter((request) => request.path.split('?')[0] === path),
  };
  return provider;
}
