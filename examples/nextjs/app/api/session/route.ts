import { authkit } from 'sealed-session/next';
import type { NextRequest } from 'next/server';

/** The session of the request as JSON (never the token), for scripts and client code. */
export async function GET(request: NextRequest): Promise<Response> {
  const { session, headers } = await authkit(request);
  const response = session.user
    ? Response.json({ authenticated: true, email: session.user.email, sessionId: session.sessionId, organizationId: session.organizationId ?? null })
    : Response.json({ authenticated: false }, { status: 401 });
  for (const cookie of headers.getSetCookie()) response.headers.append('set-cookie', cookie);
  response.headers.set('cache-control', 'no-store');
  return response;
}
