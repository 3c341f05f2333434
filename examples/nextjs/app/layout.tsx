import type { ReactNode } from 'react';
import { withAuth } from 'sealed-session/next';
import { AuthKitProvider, Impersonation } from 'sealed-session/next/components';

export const metadata = { title: 'sealed-session · Next.js' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The client gets the session without its access token.
  const { accessToken: _token, ...initialAuth } = await withAuth();
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 720, margin: '2rem auto', padding: '0 1rem' }}>
        <AuthKitProvider initialAuth={initialAuth}>
          <Impersonation />
          {children}
        </AuthKitProvider>
      </body>
    </html>
  );
}
