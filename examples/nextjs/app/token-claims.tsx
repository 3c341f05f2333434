'use client';
import { useTokenClaims } from 'sealed-session/next/components';

/** Claims of the access token, fetched by the client through useAccessToken. */
export function TokenClaims() {
  const { org_id: organizationId, sid } = useTokenClaims<{ org_id?: string; sid?: string }>();
  if (!sid) return null;
  return (
    <p>
      Token claims: session <span data-testid="claims-session">{sid}</span>
      {organizationId && (
        <>
          , organization <span data-testid="claims-organization">{organizationId}</span>
        </>
      )}
    </p>
  );
}
