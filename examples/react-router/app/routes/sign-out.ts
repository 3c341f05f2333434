import type { ActionFunctionArgs } from 'react-router';
import { signOut } from 'sealed-session/react-router';

export const action = ({ request }: ActionFunctionArgs) => signOut(request);
