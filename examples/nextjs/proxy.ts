import { authkitProxy } from 'sealed-session/next';

// Every page, route handler and server action passes through here: the session is checked
// (and refreshed once, however many requests carry it) before the app sees the request.
// Pages decide who may see them, with withAuth({ ensureSignedIn: true }).
export default authkitProxy();

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
