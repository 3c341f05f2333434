'use client';
import { useAuth } from 'sealed-session/next/components';

/** The session as a client component sees it. */
export function UserBadge() {
  const { user, organizationId, role, loading } = useAuth();
  if (loading) return <p data-testid="client-loading">Loading…</p>;
  if (!user) return <p data-testid="client-user">signed out</p>;
  return (
    <p>
      Client component: <span data-testid="client-user">{user.email}</span>
      {organizationId && (
        <>
          {' '}in <span data-testid="client-organization">{organizationId}</span> as <span data-testid="client-role">{role}</span>
        </>
      )}
    </p>
  );
}
