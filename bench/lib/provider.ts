/**
 * The WorkOS emulator with a signed-in user, and a pool of distinct access tokens obtained by
 * chaining refreshes (each refresh mints a new token and a new refresh token).
 */
import { WorkOS } from '@workos-inc/node';
import { SessionManager, type AuthenticationResponse, type SessionManagerOptions } from '../../src/index.js';
import { startEmulator } from '../../demo/emulator.js';
import { signInCode } from '../../test/support/signin.js';

export const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';

export interface Provider {
  url: string;
  clientId: string;
  apiKey: string;
  /** Distinct sign-ins of the same user in the same organization (admin role). */
  responses: AuthenticationResponse[];
  /** Options for a SessionManager talking to the emulator. */
  managerOptions: SessionManagerOptions;
  /** A WorkOS SDK client talking to the emulator. */
  workos(): WorkOS;
  close(): Promise<void>;
}

export async function startProvider(poolSize: number): Promise<Provider> {
  const emulator = await startEmulator();
  const managerOptions: SessionManagerOptions = {
    clientId: emulator.clientId,
    apiKey: emulator.apiKey,
    cookiePassword: PASSWORD,
    baseUrl: emulator.url,
  };
  const sessions = new SessionManager(managerOptions);
  const { code, codeVerifier } = await signInCode(sessions, emulator.users.alice.email);
  let response = await sessions.authenticateWithCode({ code, codeVerifier });
  const responses: AuthenticationResponse[] = [];
  for (let i = 0; i < poolSize; i++) {
    response = await sessions.authenticateWithRefreshToken({ refreshToken: response.refreshToken, organizationId: emulator.organizations.acme.id });
    responses.push(response);
  }
  const url = new URL(emulator.url);
  return {
    url: emulator.url,
    clientId: emulator.clientId,
    apiKey: emulator.apiKey,
    responses,
    managerOptions,
    workos: () => new WorkOS(emulator.apiKey, { apiHostname: url.hostname, port: Number(url.port), https: false, clientId: emulator.clientId }),
    close: () => emulator.close(),
  };
}
