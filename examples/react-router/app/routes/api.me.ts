import type { LoaderFunctionArgs } from 'react-router';
import { authkitLoader } from 'sealed-session/react-router';

/** The session as JSON, for scripts: a resource route. */
export const loader = (args: LoaderFunctionArgs) =>
  authkitLoader(args, ({ auth }) =>
    Response.json({ email: auth.user?.email ?? null, organizationId: auth.organizationId, role: auth.role }),
  );
