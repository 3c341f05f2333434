/**
 * `sealed-session/next/components`: the client components of `@workos-inc/authkit-nextjs/components`.
 *
 * @example
 * ```tsx
 * 'use client';
 * import { useAuth } from 'sealed-session/next/components';
 * export function SignedInAs() {
 *   const { user } = useAuth();
 *   return <span>{user?.email ?? 'nobody'}</span>;
 * }
 * ```
 * @packageDocumentation
 */
export { AuthKitProvider, useAuth, type AuthContextValue, type AuthKitProviderProps } from './authkit-provider.js';
export { useAccessToken, type UseAccessTokenResult } from './use-access-token.js';
export { useTokenClaims } from './use-token-claims.js';
export { Impersonation, type ImpersonationProps } from './impersonation.js';
