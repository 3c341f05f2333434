import type { Impersonator, User } from '../api/types.js';
import type { SessionInfo } from '../session/results.js';

/**
 * A signed-in request, as `withAuth`, `authkit` and `refreshSession` return it (the shape of
 * authkit-nextjs).
 */
export interface UserInfo {
  user: User;
  sessionId: string;
  organizationId?: string;
  role?: string;
  roles?: string[];
  permissions?: string[];
  entitlements?: string[];
  featureFlags?: string[];
  impersonator?: Impersonator;
  /** The verified access token, for calls to your APIs. Never hand it to the browser unasked. */
  accessToken: string;
}

/** A signed-out request: every field but `user` is absent. */
export interface NoUserInfo {
  user: null;
  sessionId?: undefined;
  organizationId?: undefined;
  role?: undefined;
  roles?: undefined;
  permissions?: undefined;
  entitlements?: undefined;
  featureFlags?: undefined;
  impersonator?: undefined;
  accessToken?: undefined;
}

/** The authkit-nextjs view of a verified session: absent fields left out, not `undefined`. */
export function userInfo(info: SessionInfo): UserInfo {
  const result: UserInfo = { user: info.user, sessionId: info.sessionId, accessToken: info.accessToken };
  if (info.organizationId !== undefined) result.organizationId = info.organizationId;
  if (info.role !== undefined) result.role = info.role;
  if (info.roles !== undefined) result.roles = [...info.roles];
  if (info.permissions !== undefined) result.permissions = [...info.permissions];
  if (info.entitlements !== undefined) result.entitlements = [...info.entitlements];
  if (info.featureFlags !== undefined) result.featureFlags = [...info.featureFlags];
  if (info.impersonator !== undefined) result.impersonator = info.impersonator;
  return result;
}
