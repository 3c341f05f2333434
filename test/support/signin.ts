import { startEmulator } from '../../demo/emulator.js';
import { SessionManager } from '../../src/index.js';

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

/** Signs `email` in at the emulator: what the code exchange answered, and the cookie a callback would set. */
export async function signedIn(manager: SessionManager, email: string, redirectUri?: string) {
  const { code, codeVerifier } = await signInCode(manager, email, redirectUri);
  const auth = await manager.authenticateWithCode({ code, codeVerifier });
  return { auth, cookie: await manager.sealSessionFromAuthResponse(auth) };
}

/** Starts the emulator and signs its user Alice in, sealing with `cookiePassword`. */
export async function emulatorWithAlice(cookiePassword: string) {
  const emulator = await startEmulator();
  try {
    const manager = new SessionManager({ clientId: emulator.clientId, apiKey: emulator.apiKey, cookiePassword, baseUrl: emulator.url });
    return { emulator, ...(await signedIn(manager, emulator.users.alice.email)) };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
