/**
 * `inspect` takes a cookie however a developer copies it (bare, URL-encoded, `name=value`, a
 * whole `Cookie:` header line, chunks), reads WORKOS_CLIENT_ID as the library does, and says
 * when the signature was not checked.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sealData } from '../../../src/index.js';
import type { startEmulator } from '../../../demo/emulator.js';
import { emulatorWithAlice } from '../../support/signin.js';
import { build, cli } from './run-cli.js';

const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
const FERNET_KEY = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let cookie: string;
let fernet: string;
let userId: string;

beforeAll(async () => {
  build();
  const { auth, ...started } = await emulatorWithAlice(PASSWORD);
  ({ emulator, cookie } = started);
  userId = auth.user.id;
  fernet = await sealData({ access_token: auth.accessToken, refresh_token: auth.refreshToken, user: { id: userId, email: 'alice@acme.test' } }, { password: FERNET_KEY, format: 'fernet' });
});
afterAll(() => emulator?.close());

const encode = (value: string) => encodeURIComponent(value);
const halves = (value: string) => [value.slice(0, Math.ceil(value.length / 2)), value.slice(Math.ceil(value.length / 2))] as const;
const stateSeal = async () => sealData({ state: 'x', codeVerifier: 'y' }, { password: PASSWORD });

// [what, the input, name reported, chunks joined, password]
const inputs: Array<[string, () => Promise<string> | string, string | null, number, string?]> = [
  ['the bare seal', () => cookie, null, 0],
  ['the bare seal, URL-encoded', () => encode(cookie), null, 0],
  ['the bare seal with CRLF around it', () => `\r\n ${cookie}\r\n`, null, 0],
  ['name=value', () => `wos-session=${cookie}`, 'wos-session', 0],
  ['name=value, URL-encoded', () => `wos-session=${encode(cookie)}`, 'wos-session', 0],
  ['a Cookie: header line', () => `Cookie: theme=dark; wos-session=${cookie}; lang=fr`, 'wos-session', 0],
  ['a lower-case cookie: header line, URL-encoded value', () => `cookie: wos-session=${encode(cookie)}; theme=dark%3Bx`, 'wos-session', 0],
  ['a Cookie header with the sign-in state seal beside the session', async () => `Cookie: wos-auth-state=${await stateSeal()}; wos-session=${cookie}`, 'wos-session', 0],
  ['a Cookie header with chunks out of order', () => `Cookie: wos-session.1=${halves(cookie)[1]}; a=b; wos-session.0=${halves(cookie)[0]}`, 'wos-session', 2],
  ['URL-encoded chunks', () => `Cookie: wos-session.0=${encode(halves(cookie)[0])}; wos-session.1=${encode(halves(cookie)[1])}`, 'wos-session', 2],
  ['the __Host- session cookie beside the __Host- state cookie', async () => `Cookie: __Host-wos-auth-state=${await stateSeal()}; __Host-wos-session=${cookie}`, '__Host-wos-session', 0],
  ['a cookie of another name, alone', () => `Cookie: theme=dark; my-session=${cookie}`, 'my-session', 0],
  ['a Fernet cookie, URL-encoded (padding as %3D)', () => `wos-session=${encode(fernet)}`, 'wos-session', 0, FERNET_KEY],
];

describe('inspect input', () => {
  test.each(inputs)('%s', async (_what, input, name, chunks, password = PASSWORD) => {
    const result = await cli(['inspect', '--json'], { input: await input(), env: { WORKOS_COOKIE_PASSWORD: password } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.cookie).toMatchObject({ name, chunksInInput: chunks });
    expect(report.session.user.id).toBe(userId);
  });

  test.each([
    ['the session cookie with a chunk missing', () => `Cookie: wos-session.1=${halves(cookie)[1]}; other=${cookie}`, /wos-session are incomplete \(missing_chunk/],
    ['two seals and no session cookie', () => `Cookie: a=${cookie}; b=${cookie}`, /Several cookies hold a seal \(a, b\).*--cookie-name/],
    ['no seal at all', () => 'Cookie: theme=dark; lang=fr', /No sealed value found/],
    ['a broken URL encoding', () => `wos-session=${encode(cookie)}%E0%A4%A`, /No sealed value found|seal_/],
  ])('%s: exit 1 with a reason', async (_what, input, reason) => {
    const result = await cli(['inspect'], { input: input(), env: { WORKOS_COOKIE_PASSWORD: PASSWORD } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).not.toContain(cookie.slice(10, 40));
  });
});

describe('inspect verification settings', () => {
  const env = () => ({ WORKOS_COOKIE_PASSWORD: PASSWORD, WORKOS_BASE_URL: emulator.url });

  test('WORKOS_CLIENT_ID verifies the signature as --client-id does', async () => {
    const result = await cli(['inspect'], { input: cookie, env: { ...env(), WORKOS_CLIENT_ID: emulator.clientId } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/signature:\s+valid/);
    expect(result.stdout).toMatch(new RegExp(`audience:\\s+${emulator.clientId}`));
  });

  test('WORKOS_API_HOSTNAME, WORKOS_API_PORT and WORKOS_API_HTTPS name the provider as they do for the library', async () => {
    const url = new URL(emulator.url);
    const result = await cli(['inspect', '--json'], {
      input: cookie,
      env: { WORKOS_COOKIE_PASSWORD: PASSWORD, WORKOS_CLIENT_ID: emulator.clientId, WORKOS_API_HOSTNAME: url.hostname, WORKOS_API_PORT: url.port, WORKOS_API_HTTPS: 'false' },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).verification).toMatchObject({ result: 'valid', jwksUrl: `${emulator.url}/sso/jwks/${emulator.clientId}` });
  });

  test('--client-id wins over WORKOS_CLIENT_ID', async () => {
    const result = await cli(['inspect', '--json', '--client-id', emulator.clientId], { input: cookie, env: { ...env(), WORKOS_CLIENT_ID: 'client_other' } });
    expect(JSON.parse(result.stdout).verification.audience).toBe(emulator.clientId);
  });

  test('without a client id the signature is reported as not checked, and the check does not fail', async () => {
    const result = await cli(['inspect'], { input: cookie, env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/signature:\s+not checked \(pass --client-id or set WORKOS_CLIENT_ID/);
    const json = await cli(['inspect', '--json'], { input: cookie, env: env() });
    expect(JSON.parse(json.stdout).verification).toBeNull();
  });

  test('keys that cannot be fetched: signature not checked, exit 1', async () => {
    const result = await cli(['inspect'], { input: cookie, env: { ...env(), WORKOS_CLIENT_ID: emulator.clientId, WORKOS_BASE_URL: 'http://127.0.0.1:9' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/signature:\s+not checked/);
    expect(result.stderr).toContain('(jwks_unavailable)');
  });

  test.each(['sk_test_pasted_here_1234567890', 'not a client id', 'client_?x'])('a WORKOS_CLIENT_ID that is no client id (%j) is a usage error that does not repeat it', async (value) => {
    const result = await cli(['inspect'], { input: cookie, env: { ...env(), WORKOS_CLIENT_ID: value } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/WORKOS_CLIENT_ID must be a client id \(client_…\)/);
    expect(result.stderr).not.toContain(value);
  });

  test('a WORKOS_BASE_URL that is no URL is named', async () => {
    const result = await cli(['inspect'], { input: cookie, env: { ...env(), WORKOS_CLIENT_ID: emulator.clientId, WORKOS_BASE_URL: 'api.workos.com' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/WORKOS_BASE_URL must be an http\(s\) URL/);
  });
});
