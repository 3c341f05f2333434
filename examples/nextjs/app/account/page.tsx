import { withAuth } from 'sealed-session/next';

export default async function AccountPage() {
  // Signed-out visitors are sent to sign-in and back here.
  const { user, sessionId } = await withAuth({ ensureSignedIn: true });
  return (
    <main>
      <h1>Account</h1>
      <p data-testid="account-email">{user.email}</p>
      <p data-testid="account-session">{sessionId}</p>
    </main>
  );
}
