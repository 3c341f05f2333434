import type { SessionManager } from '../../src/index.js';

/** Signs `email` in at the emulator (its `login_hint` shortcut) and returns the code and PKCE verifier. */
export async function signInCode(manager: SessionManager, email: string, redirectUri = 'http://localhost:3999/callback') {
  const { url, state, codeVerifier } = await manager.getAuthorizationUrlWithPKCE({ redirectUri, loginHint: email });
  const response = await fetch(url, { redirect: 'manual' });
  const location = new URL(response.headers.get('location') ?? '');
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`emulator did not return a code: ${location}`);
  if (location.searchParams.get('state') !== state) throw new Error('emulator lost the state');
  return { code, codeVerifier };
}
