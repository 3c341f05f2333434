/** The public types of the adapter: what loaders see, and the options and results of its helpers. */
import type { Impersonator, User } from '../api/types.js';
import type { RequestSession } from '../http/index.js';

/** What a signed-in loader sees; the `auth` fields merged into its data. */
export interface AuthorizedData {
  user: User;
  sessionId: string;
  organizationId: string | null;
  role: string | null;
  permissions: string[];
  entitlements: string[];
  featureFlags: string[];
  impersonator: Impersonator | null;
}

/** What a signed-out loader sees: every field `null`. */
export interface UnauthorizedData {
  user: null;
  sessionId: null;
  organizationId: null;
  role: null;
  permissions: null;
  entitlements: null;
  featureFlags: null;
  impersonator: null;
}

/** The session of a request that could not be kept. */
export type EndedSession = Extract<RequestSession, { authenticated: false }>;

/** Argument of `onSessionRefreshError`. */
export interface RefreshErrorOptions {
  /** Why the session ended: its reason (`invalid_grant`, `invalid_session_cookie`, …) and detail. */
  error: EndedSession;
  request: Request;
}

/** Argument of `onSessionRefreshSuccess`. */
export interface RefreshSuccessOptions {
  accessToken: string;
  user: User;
  impersonator: Impersonator | null;
  organizationId: string | null;
}

/**
 * Options of {@link authkitLoader}. The cookie's name and lifetime come from {@link configure};
 * the custom `storage` of `@workos-inc/authkit-react-router` has no equivalent (the session
 * lives in the cookie).
 */
export interface AuthKitLoaderOptions {
  /** Send signed-out visitors to sign-in (and back here after it). Default false. */
  ensureSignedIn?: boolean;
  /** Log each request's session outcome (reason, refreshed), never a token. Default false. */
  debug?: boolean;
  /** Called when the request carried a session that is over; a `Response` returned is answered instead. */
  onSessionRefreshError?: (options: RefreshErrorOptions) => void | Response | Promise<void | Response>;
  /** Called when this request refreshed the session. */
  onSessionRefreshSuccess?: (options: RefreshSuccessOptions) => void | Promise<void>;
}

/** What `onSuccess` of {@link authLoader} receives. */
export interface AuthLoaderSuccessData {
  accessToken: string;
  refreshToken: string;
  user: User;
  impersonator: Impersonator | null;
}

/** Options of {@link authLoader}. */
export interface HandleAuthOptions {
  /** Where to land after sign-in when the sign-in link named no return path. Default `/`. */
  returnPathname?: string;
  /** Called after the code exchange, before the cookie is set; when it throws, the sign-in fails (500, no cookie). */
  onSuccess?: (data: AuthLoaderSuccessData) => void | Promise<void>;
}

/** The `auth` fields of {@link withAuth} for a signed-in request. */
export interface UserInfo {
  user: User;
  sessionId: string;
  organizationId?: string;
  role?: string;
  permissions?: string[];
  entitlements?: string[];
  featureFlags?: string[];
  impersonator?: Impersonator;
  accessToken: string;
}

/** {@link withAuth} for a signed-out request (or one whose access token has expired). */
export interface NoUserInfo {
  user: null;
}

/** What {@link refreshSession} returns: the refreshed session and the headers to answer with. */
export interface RefreshedSession {
  user: User;
  sessionId: string;
  accessToken: string;
  organizationId: string | null;
  role: string | null;
  permissions: string[];
  entitlements: string[];
  featureFlags: string[];
  impersonator: Impersonator | null;
  /** The new sealed session (the Iron seal inside the cookie). */
  sealedSession: string;
  /** `Set-Cookie` (one per chunk, usually one) and `Cache-Control: no-store`: pass them to `data()` or `redirect()`. */
  headers: Headers;
}
