'use client';
import { useMemo } from 'react';
import { decodeClaims } from './claims.js';
import { useAccessToken } from './use-access-token.js';

/**
 * The claims of the current access token (`sid`, `org_id`, `role`, `permissions`, your custom
 * claims), or `{}` while there is none.
 *
 * @example
 * ```tsx
 * const { org_id, tier } = useTokenClaims<{ tier?: string }>();
 * ```
 */
export function useTokenClaims<T extends Record<string, unknown> = Record<string, unknown>>(): Partial<T> & Record<string, unknown> {
  const { accessToken } = useAccessToken();
  return useMemo(() => (decodeClaims(accessToken) ?? {}) as Partial<T> & Record<string, unknown>, [accessToken]);
}
