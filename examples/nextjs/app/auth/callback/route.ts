import { handleAuth } from 'sealed-session/next';

export const GET = handleAuth();
