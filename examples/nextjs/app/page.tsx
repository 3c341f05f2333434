import { getSignInUrl, getSignUpUrl, withAuth } from 'sealed-session/next';
import { signOutAction, switchOrganizationAction } from './actions';
import { TokenClaims } from './token-claims';
import { UserBadge } from './user-badge';

export default async function HomePage() {
  const { user, organizationId, role, permissions } = await withAuth();
  if (!user) {
    return (
      <main>
        <h1>Welcome</h1>
        <p>
          <a data-testid="sign-in" href={await getSignInUrl()}>Sign in</a> or{' '}
          <a data-testid="sign-up" href={await getSignUpUrl()}>create an account</a>.
        </p>
        <UserBadge />
      </main>
    );
  }
  return (
    <main>
      <h1>
        Hello, <span data-testid="user-name">{[user.firstName, user.lastName].filter(Boolean).join(' ')}</span>
      </h1>
      <p>
        Server component: <span data-testid="user-email">{user.email}</span>
        {organizationId && (
          <>
            {' '}in <span data-testid="organization">{organizationId}</span> as <span data-testid="role">{role}</span>
          </>
        )}
      </p>
      {permissions && permissions.length > 0 && <p data-testid="permissions">{[...permissions].sort().join(', ')}</p>}
      <UserBadge />
      <TokenClaims />
      <form action={switchOrganizationAction}>
        <input name="organizationId" data-testid="organization-id" placeholder="org_…" />
        <button type="submit" data-testid="switch-organization">Switch organization</button>
      </form>
      <form action={signOutAction}>
        <button type="submit" data-testid="sign-out">Sign out</button>
      </form>
      <p>
        <a href="/account">Account</a>
      </p>
    </main>
  );
}
