'use client';
import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import { useAuth } from './authkit-provider.js';
import { tokenStore } from './token-store.js';

/** What {@link useAccessToken} returns. */
export interface UseAccessTokenResult {
  /** The current token; `undefined` while signed out or before the first fetch. */
  accessToken: string | undefined;
  loading: boolean;
  error: Error | null;
  /** A fresh token (fetched or renewed when needed); `undefined` when signed out. */
  getAccessToken: () => Promise<string | undefined>;
  /** A new token now; `undefined` when signed out. */
  refresh: () => Promise<string | undefined>;
}

/**
 * The access token in a client component, for calls to your APIs: fetched from the server,
 * renewed before it expires, shared by every component of the page.
 *
 * @example
 * ```tsx
 * 'use client';
 * export function Projects() {
 *   const { getAccessToken } = useAccessToken();
 *   const load = async () => fetch('/api/projects', { headers: { authorization: `Bearer ${await getAccessToken()}` } });
 *   return <button onClick={load}>Load</button>;
 * }
 * ```
 */
export function useAccessToken(): UseAccessTokenResult {
  const { user, sessionId, organizationId } = useAuth();
  const signedIn = user !== null;
  const state = useSyncExternalStore(tokenStore.subscribe, tokenStore.getSnapshot, tokenStore.getServerSnapshot);
  // A token belongs to one user, session and organization: another one needs another token.
  const owner = signedIn ? `${user.id} ${sessionId ?? ''} ${organizationId ?? ''}` : undefined;
  const previousOwner = useRef(owner);

  useEffect(() => {
    if (previousOwner.current !== owner) tokenStore.clear();
    previousOwner.current = owner;
    if (owner !== undefined) void tokenStore.getAccessToken().catch(() => undefined);
  }, [owner]);

  const getAccessToken = useCallback(async () => (signedIn ? tokenStore.getAccessToken() : undefined), [signedIn]);
  const refresh = useCallback(async () => (signedIn ? tokenStore.refresh() : undefined), [signedIn]);
  return { accessToken: signedIn ? state.token : undefined, loading: state.loading, error: state.error, getAccessToken, refresh };
}
