import { type ActionFunctionArgs, Form, type LoaderFunctionArgs, useLoaderData } from 'react-router';
import { authkitLoader, sessionHeaders, switchToOrganization } from 'sealed-session/react-router';

export const loader = (args: LoaderFunctionArgs) =>
  authkitLoader(args, ({ auth }) => ({ greeting: `Hello ${auth.user.firstName ?? auth.user.email}` }), { ensureSignedIn: true });
export const headers = sessionHeaders;

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return switchToOrganization(request, String(form.get('organizationId') ?? ''), { returnTo: '/dashboard' });
}

export default function Dashboard() {
  const { greeting, user, organizationId, role, permissions } = useLoaderData<typeof loader>();
  return (
    <main>
      <h1>{greeting}</h1>
      <p>
        {user.email} in {organizationId ?? 'no organization'} as {role ?? 'no role'} ({permissions.join(', ') || 'no permissions'})
      </p>
      <Form method="post">
        <input name="organizationId" placeholder="org_…" />
        <button type="submit">Switch organization</button>
      </Form>
      <Form method="post" action="/sign-out">
        <button type="submit">Sign out</button>
      </Form>
    </main>
  );
}
