/** What loaders and actions answer with: the `auth` fields, and responses carrying the session cookie. */
import { data, type UNSAFE_DataWithResponseInit as DataWithResponseInit } from 'react-router';
import { withCookies } from '../http/index.js';
import type { SessionInfo } from '../session/results.js';
import type { AuthorizedData, UnauthorizedData } from './types.js';

export const SIGNED_OUT: UnauthorizedData = {
  user: null,
  sessionId: null,
  organizationId: null,
  role: null,
  permissions: null,
  entitlements: null,
  featureFlags: null,
  impersonator: null,
};

export function authorizedData(session: SessionInfo): AuthorizedData {
  return {
    user: session.user,
    sessionId: session.sessionId,
    organizationId: session.organizationId ?? null,
    role: session.role ?? null,
    permissions: [...(session.permissions ?? [])],
    entitlements: [...(session.entitlements ?? [])],
    featureFlags: [...(session.featureFlags ?? [])],
    impersonator: session.impersonator ?? null,
  };
}

/** Headers carrying `setCookies`, `no-store` when there are any. */
export function cookieHeaders(setCookies: readonly string[], init?: HeadersInit): Headers {
  const headers = new Headers(init);
  for (const value of setCookies) headers.append('set-cookie', value);
  if (setCookies.length > 0) headers.set('cache-control', 'no-store');
  return headers;
}

/** What `data()` returns (its class is not exported). */
function isDataWithResponseInit(value: unknown): value is DataWithResponseInit<unknown> {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'DataWithResponseInit' && 'data' in value;
}

export function unavailable(retryAfter: number | undefined, setCookies: readonly string[] = []): Response {
  const headers = cookieHeaders(setCookies, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  headers.set('retry-after', String(retryAfter ?? 1));
  return new Response('Sign-in is briefly unavailable. Please try again in a moment.', { status: 503, headers });
}

/** The app loader's value with the auth fields merged in and the cookies added. */
export async function merged(result: unknown, auth: AuthorizedData | UnauthorizedData, setCookies: readonly string[]): Promise<unknown> {
  if (result instanceof Response) {
    if (result.status >= 300 && result.status < 400) throw withCookies(result, setCookies);
    const response = withCookies(result, setCookies);
    if (!response.headers.get('content-type')?.toLowerCase().includes('application/json')) return response;
    const body: unknown = await response.json();
    const fields = typeof body === 'object' && body !== null ? body : {};
    return data({ ...fields, ...auth }, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
  if (isDataWithResponseInit(result)) {
    const fields = typeof result.data === 'object' && result.data !== null ? result.data : {};
    return data({ ...fields, ...auth }, { ...result.init, headers: cookieHeaders(setCookies, result.init?.headers) });
  }
  const fields = typeof result === 'object' && result !== null ? result : {};
  return data({ ...fields, ...auth }, { headers: cookieHeaders(setCookies) });
}

/** A `Response` or `data()` the app's loader threw, with the cookies added: a refreshed session must not be lost. */
export function withThrownCookies(error: unknown, setCookies: readonly string[]): unknown {
  if (setCookies.length === 0) return error;
  if (error instanceof Response) return withCookies(error, setCookies);
  if (isDataWithResponseInit(error)) return data(error.data, { ...error.init, headers: cookieHeaders(setCookies, error.init?.headers) });
  return error;
}
