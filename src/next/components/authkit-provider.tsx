'use client';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { checkSessionAction, getAuthAction, handleSignOutAction, refreshAuthAction, switchToOrganizationAction, type ClientAuth } from '../actions.js';
import type { SwitchToOrganizationOptions } from '../auth.js';

/**
 * What {@link useAuth} returns: the session's fields (no access token: see `useAccessToken`),
 * whether it is loading, and the actions.
 */
export type AuthContextValue = ClientAuth & {
  /** True until the session is known: at first render without `initialAuth`, and during a refresh. */
  loading: boolean;
  /** Reads the session again; with `ensureSignedIn` and no user, navigates to sign-in. */
  getAuth: (options?: { ensureSignedIn?: boolean }) => Promise<void>;
  /** Refreshes the session (optionally into another organization); resolves to `{ error }` when that fails. */
  refreshAuth: (options?: { ensureSignedIn?: boolean; organizationId?: string }) => Promise<void | { error: string }>;
  /** Signs out through the provider's logout URL. */
  signOut: (options?: { returnTo?: string }) => Promise<void>;
  /** Switches organization; by default stays on the page and reads the new session. */
  switchToOrganization: (organizationId: string, options?: SwitchToOrganizationOptions) => Promise<ClientAuth | void>;
};

const AuthContext = createContext<AuthContextValue | undefined>(undefined);

/** Props of {@link AuthKitProvider}. */
export interface AuthKitProviderProps {
  children: ReactNode;
  /**
   * Called when the tab comes back to the foreground and its session has ended elsewhere (the
   * proxy turned the check away). Default: reload the page. `false` turns the check off.
   */
  onSessionExpired?: false | (() => void);
  /**
   * The session as the server rendered it (`withAuth()` minus `accessToken`): no loading state,
   * and when a server action changes the session (an organization switch) and the layout
   * renders again, the new session reaches the client components with it.
   */
  initialAuth?: ClientAuth;
}

const SIGNED_OUT: ClientAuth = { user: null };

/**
 * Makes the session available to client components through {@link useAuth}. Put it in the root
 * layout.
 *
 * @example
 * ```tsx
 * // app/layout.tsx
 * export default function RootLayout({ children }: { children: React.ReactNode }) {
 *   return <html lang="en"><body><AuthKitProvider>{children}</AuthKitProvider></body></html>;
 * }
 * ```
 */
export function AuthKitProvider({ children, onSessionExpired, initialAuth }: AuthKitProviderProps) {
  const [auth, setAuth] = useState<ClientAuth>(initialAuth ?? SIGNED_OUT);
  const [loading, setLoading] = useState(!initialAuth);
  const redirecting = useRef(false);
  const rendered = initialAuth === undefined ? undefined : JSON.stringify(initialAuth);
  useEffect(() => {
    if (rendered !== undefined) setAuth(JSON.parse(rendered) as ClientAuth);
  }, [rendered]);

  // A sign-in must be a full navigation: a server action cannot redirect to another origin.
  const follow = useCallback((result: ClientAuth & { signInUrl?: string }): boolean => {
    if (!result.signInUrl) return false;
    redirecting.current = true;
    window.location.href = result.signInUrl;
    return true;
  }, []);

  const show = useCallback((result: ClientAuth & { signInUrl?: string }) => {
    const { signInUrl: _link, ...session } = result;
    setAuth(session.user ? session : SIGNED_OUT);
  }, []);

  const getAuth = useCallback(
    async ({ ensureSignedIn = false }: { ensureSignedIn?: boolean } = {}) => {
      if (redirecting.current) return;
      setLoading(true);
      try {
        const result = await getAuthAction({ ensureSignedIn });
        if (!follow(result)) show(result);
      } catch {
        setAuth(SIGNED_OUT);
      } finally {
        setLoading(false);
      }
    },
    [follow, show],
  );

  const refreshAuth = useCallback(
    async ({ ensureSignedIn = false, organizationId }: { ensureSignedIn?: boolean; organizationId?: string } = {}) => {
      if (redirecting.current) return;
      setLoading(true);
      try {
        const result = await refreshAuthAction({ ensureSignedIn, organizationId });
        if (!follow(result)) show(result);
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error) };
      } finally {
        setLoading(false);
      }
    },
    [follow, show],
  );

  const signOut = useCallback(async ({ returnTo }: { returnTo?: string } = {}) => {
    await handleSignOutAction({ returnTo });
  }, []);

  const switchToOrganization = useCallback(
    async (organizationId: string, options: SwitchToOrganizationOptions = {}) => {
      const strategy = options.revalidationStrategy ?? 'none';
      const result = await switchToOrganizationAction(organizationId, { ...options, revalidationStrategy: strategy });
      if (strategy === 'none') await getAuth({ ensureSignedIn: true });
      return result;
    },
    [getAuth],
  );

  useEffect(() => {
    if (!initialAuth) void getAuth();
    if (onSessionExpired === false) return;
    let checking = false;
    const check = async () => {
      if (checking || document.visibilityState !== 'visible') return;
      checking = true;
      try {
        await checkSessionAction();
      } catch (error) {
        // The action's request was turned away (the proxy redirected it to sign-in).
        if (error instanceof Error && error.message.includes('Failed to fetch')) {
          if (onSessionExpired) onSessionExpired();
          else window.location.reload();
        }
      } finally {
        checking = false;
      }
    };
    window.addEventListener('visibilitychange', check);
    window.addEventListener('focus', check);
    return () => {
      window.removeEventListener('visibilitychange', check);
      window.removeEventListener('focus', check);
    };
    // The initial session is read once; later changes come through the actions.
  }, [onSessionExpired]);

  const value = useMemo<AuthContextValue>(
    () => ({ ...auth, loading, getAuth, refreshAuth, signOut, switchToOrganization }),
    [auth, loading, getAuth, refreshAuth, signOut, switchToOrganization],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/**
 * The session in a client component, from the nearest {@link AuthKitProvider}. With
 * `ensureSignedIn`, a signed-out visitor is sent to sign-in once the session is known.
 *
 * @throws {Error} outside an `AuthKitProvider`.
 * @example
 * ```tsx
 * 'use client';
 * export function Greeting() {
 *   const { user, loading } = useAuth();
 *   if (loading) return <span>…</span>;
 *   return <span>{user ? `Hi ${user.firstName ?? user.email}` : 'Signed out'}</span>;
 * }
 * ```
 */
export function useAuth({ ensureSignedIn = false }: { ensureSignedIn?: boolean } = {}): AuthContextValue {
  const context = useContext(AuthContext);
  useEffect(() => {
    if (context && ensureSignedIn && !context.user && !context.loading) void context.getAuth({ ensureSignedIn });
  }, [ensureSignedIn, context]);
  if (!context) throw new Error('useAuth must be used within an AuthKitProvider');
  return context;
}
