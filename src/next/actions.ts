'use server';
/**
 * Server actions behind the client components. Each answers for the session of the request
 * that calls it; none takes a user or session id from the client. The access token reaches the
 * browser only through `getAccessTokenAction` and `refreshAccessTokenAction` (`useAccessToken`).
 */
import { getSignInUrl, refreshSession, signOut, switchToOrganization, withAuth, type SwitchToOrganizationOptions } from './auth.js';
import type { NoUserInfo, UserInfo } from './user-info.js';

/** A session as the browser may see it: everything but the access token. */
export type ClientAuth = Omit<UserInfo, 'accessToken'> | Omit<NoUserInfo, 'accessToken'>;

function withoutToken(auth: UserInfo | NoUserInfo): ClientAuth {
  const { accessToken: _token, ...visible } = auth;
  return visible;
}

/** Whether the request got through the proxy at all (a signed-out tab's actions fail to fetch). */
export async function checkSessionAction(): Promise<boolean> {
  return true;
}

/** The session without its token; with `ensureSignedIn` and no user, a `signInUrl` the client navigates to. */
export async function getAuthAction(options: { ensureSignedIn?: boolean } = {}): Promise<ClientAuth & { signInUrl?: string }> {
  const auth = await withAuth();
  if (options.ensureSignedIn && !auth.user) return { ...withoutToken(auth), signInUrl: await getSignInUrl() };
  return withoutToken(auth);
}

/** Refreshes the session (optionally into another organization) and returns it without its token. */
export async function refreshAuthAction(options: { ensureSignedIn?: boolean; organizationId?: string } = {}): Promise<ClientAuth & { signInUrl?: string }> {
  const auth = await refreshSession({ organizationId: options.organizationId });
  if (options.ensureSignedIn && !auth.user) return { ...withoutToken(auth), signInUrl: await getSignInUrl() };
  return withoutToken(auth);
}

/** Switches organization; with `revalidationStrategy: 'none'` (the client default) returns instead of redirecting. */
export async function switchToOrganizationAction(organizationId: string, options: SwitchToOrganizationOptions = {}): Promise<ClientAuth> {
  return withoutToken(await switchToOrganization(organizationId, options));
}

/** Signs out: redirects to the provider's logout URL. */
export async function handleSignOutAction(options: { returnTo?: string } = {}): Promise<void> {
  await signOut(options);
}

/** The request's verified access token, for client code that calls APIs with it. */
export async function getAccessTokenAction(): Promise<string | undefined> {
  return (await withAuth()).accessToken;
}

/** Refreshes the session and returns the new access token; failures come back as data, not as a 500. */
export async function refreshAccessTokenAction(): Promise<{ accessToken: string | undefined; error?: string }> {
  try {
    return { accessToken: (await refreshSession()).accessToken };
  } catch {
    return { accessToken: undefined, error: 'Failed to refresh access token' };
  }
}
