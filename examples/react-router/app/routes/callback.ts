import { authLoader } from 'sealed-session/react-router';

// The redirect URI's route: finishes sign-ins, and starts them for the links of getSignInUrl().
export const loader = authLoader({ returnPathname: '/dashboard' });
