import { type LoaderFunctionArgs, useLoaderData } from 'react-router';
import { authkitLoader, getSignInUrl, getSignUpUrl, sessionHeaders } from 'sealed-session/react-router';

export const loader = (args: LoaderFunctionArgs) =>
  authkitLoader(args, async () => ({ signInUrl: await getSignInUrl('/dashboard'), signUpUrl: await getSignUpUrl('/dashboard') }));
export const headers = sessionHeaders;

export default function Home() {
  const { user, signInUrl, signUpUrl } = useLoaderData<typeof loader>();
  if (user) {
    return (
      <main>
        <p>Signed in as {user.email}.</p>
        <a href="/dashboard">Dashboard</a>
      </main>
    );
  }
  // Plain links: the callback route that starts sign-in is a resource route.
  return (
    <main>
      <a href={signInUrl}>Sign in</a> <a href={signUpUrl}>Sign up</a>
    </main>
  );
}
