/**
 * The root route: every page gets the session from `authkitLoader` (refreshed when due), and
 * `sessionHeaders` makes a page that carries a new session cookie `Cache-Control: no-store`.
 *
 * Configuration comes from WORKOS_CLIENT_ID, WORKOS_API_KEY, WORKOS_REDIRECT_URI
 * (`http://localhost:5173/callback`) and WORKOS_COOKIE_PASSWORD, or from `configure()`.
 */
import type { ReactNode } from 'react';
import { Links, type LoaderFunctionArgs, Meta, Outlet, Scripts, ScrollRestoration } from 'react-router';
import { authkitLoader, sessionHeaders } from 'sealed-session/react-router';

export const loader = (args: LoaderFunctionArgs) => authkitLoader(args);
export const headers = sessionHeaders;

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}
