import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sealData, unsealData } from '../../../src/index.js';
import { createKeyring } from '../../../src/seal/index.js';
import type { startEmulator } from '../../../demo/emulator.js';
import { emulatorWithAlice } from '../../support/signin.js';
import { build, cli, root, transcript } from './run-cli.js';

const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
const OTHER_PASSWORD = 'Qm3vX8pL2sR9tK4wZ7yB1nC6dF5gH0jA';
const FERNET_KEY = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
const NEW_FERNET_KEY = 'IZFWa_UaobewEzc5RPqMul5aCVunFIruLiiadyCcizk=';

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let session: { cookie: string; accessToken: string; refreshToken: string; userId: string };

beforeAll(async () => {
  build();
  const { auth, cookie, ...started } = await emulatorWithAlice(PASSWORD);
  emulator = started.emulator;
  session = { cookie, accessToken: auth.accessToken, refreshToken: auth.refreshToken, userId: auth.user.id };
});
afterAll(() => emulator?.close());

/** A JWT-shaped token with these claims; its signature is junk, so it verifies nowhere. */
function fakeToken(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'none' })}.${part(claims)}.${Buffer.from('not a signature').toString('base64url')}`;
}

function verifyFlags(): string[] {
  return ['--base-url', emulator.url, '--client-id', emulator.clientId];
}

describe('keygen', () => {
  test('prints an Iron password the library accepts, different every run', async () => {
    const [a, b] = await Promise.all([cli(['keygen']), cli(['keygen'])]);
    expect(a.code).toBe(0);
    const key = a.stdout.trim();
    expect(key).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{42}$/);
    expect(b.stdout.trim()).not.toBe(key);
    expect(createKeyring(key).ids).toEqual(['1']);
    expect(await unsealData(await sealData({ ok: 1 }, { password: key }), { password: key })).toEqual({ ok: 1 });
  });

  test('prints a Fernet key like Python (44 characters, padded) that seals Fernet', async () => {
    const { code, stdout } = await cli(['keygen', '--format', 'fernet']);
    expect(code).toBe(0);
    const key = stdout.trim();
    expect(key).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{42}=$/);
    expect(Buffer.from(key, 'base64url')).toHaveLength(32);
    createKeyring(key);
    const sealed = await sealData({ ok: 1 }, { password: key, format: 'fernet' });
    expect(await unsealData(sealed, { password: key })).toEqual({ ok: 1 });
    expect((await cli(['keygen', '--fernet'])).stdout.trim()).not.toBe(key);
  });

  test('--env prints a line ready for a .env file', async () => {
    const { code, stdout } = await cli(['keygen', '--env']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^WORKOS_COOKIE_PASSWORD=[A-Za-z0-9_-]{43}\n$/);
  });
});

describe('seal and unseal', () => {
  const data = { user: { id: 'user_1', email: 'a@example.com' }, n: [1, 2, 3] };

  test('round trip through stdin', async () => {
    const sealed = await cli(['seal', '--password', PASSWORD], { input: JSON.stringify(data) });
    expect(sealed.code).toBe(0);
    expect(sealed.stdout.startsWith('Fe26.2*1*')).toBe(true);
    expect(await unsealData(sealed.stdout.trim(), { password: PASSWORD })).toEqual(data);
    const opened = await cli(['unseal', '--password', PASSWORD], { input: sealed.stdout });
    expect(opened.code).toBe(0);
    expect(JSON.parse(opened.stdout)).toEqual(data);
  });

  test('round trip through arguments, Fernet, password from WORKOS_COOKIE_PASSWORD', async () => {
    const env = { WORKOS_COOKIE_PASSWORD: FERNET_KEY };
    const sealed = await cli(['seal', JSON.stringify(data), '--format', 'fernet'], { env });
    expect(sealed.code).toBe(0);
    expect(sealed.stdout.startsWith('gAAAAA')).toBe(true);
    const opened = await cli(['unseal', sealed.stdout.trim(), '--compact'], { env });
    expect(opened.stdout).toBe(`${JSON.stringify(data)}\n`);
  });

  test('unseal reads a cookie header and accepts rotated passwords, newest first', async () => {
    const sealed = await sealData(data, { password: PASSWORD });
    const opened = await cli(['unseal', '-p', OTHER_PASSWORD, '-p', PASSWORD], { input: `Cookie: theme=dark; wos-session=${sealed}` });
    expect(opened.code).toBe(0);
    expect(JSON.parse(opened.stdout)).toEqual(data);
  });

  test('--password-file: one password per line, newest first, comments skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sealed-session-cli-'));
    const file = join(dir, 'passwords.txt');
    writeFileSync(file, `# newest first\n${OTHER_PASSWORD}\n\n${PASSWORD}\n`);
    try {
      const sealed = await sealData(data, { password: PASSWORD });
      const opened = await cli(['unseal', sealed, '--password-file', file]);
      expect(opened.code).toBe(0);
      expect(JSON.parse(opened.stdout)).toEqual(data);
      const resealed = await cli(['seal', JSON.stringify(data), '--password-file', file]);
      expect(resealed.stdout.startsWith('Fe26.2*2*')).toBe(true);
      const missing = await cli(['unseal', sealed, '--password-file', join(dir, 'missing.txt')]);
      expect(missing).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('ENOENT') });
      expect(missing.stderr).not.toContain('missing.txt');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('seal --ttl writes an expiry into an Iron seal', async () => {
    const sealed = await cli(['seal', '{"a":1}', '--ttl', '1h', '-p', PASSWORD]);
    const expiresMs = Number(sealed.stdout.split('*')[5]);
    expect(expiresMs).toBeGreaterThan(Date.now() + 3500_000);
    expect(expiresMs).toBeLessThan(Date.now() + 3700_000);
  });

  test('wrong password: exit 1, one line on stderr, nothing on stdout', async () => {
    const sealed = await sealData(data, { password: PASSWORD });
    const result = await cli(['unseal'], { input: sealed, env: { WORKOS_COOKIE_PASSWORD: OTHER_PASSWORD } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^sealed-session unseal: .*wrong password.*\(seal_bad_mac\)\n$/);
  });

  test('bad input exits 1: not a seal, not JSON, weak password', async () => {
    expect(await cli(['unseal', 'hello', '-p', PASSWORD])).toMatchObject({ code: 1, stderr: expect.stringContaining('cli_no_cookie') });
    expect(await cli(['seal', '{not json', '-p', PASSWORD])).toMatchObject({ code: 1, stderr: expect.stringContaining('cli_bad_json') });
    expect(await cli(['seal', '{}', '-p', 'short'])).toMatchObject({ code: 1, stderr: expect.stringContaining('seal_weak_password') });
    expect(await cli(['seal', '{}', '-p', PASSWORD, '--format', 'fernet'])).toMatchObject({ code: 1, stderr: expect.stringContaining('seal_weak_password') });
  });
});

describe('inspect', () => {
  test('a real session: format, password, claims, expiry, size, and a valid signature', async () => {
    const result = await cli(['inspect', ...verifyFlags()], { input: session.cookie, env: { WORKOS_COOKIE_PASSWORD: PASSWORD } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/format:\s+iron/);
    expect(out).toMatch(/password:\s+id 1 \(newest\)/);
    expect(out).toMatch(new RegExp(`sub:\\s+${session.userId}`));
    expect(out).toMatch(/sid:\s+\S+/);
    expect(out).toMatch(new RegExp(`iss:\\s+${emulator.url}`));
    expect(out).toMatch(new RegExp(`aud:\\s+${emulator.clientId}`));
    expect(out).toMatch(/exp:\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
    expect(out).toMatch(/expiry:\s+expires in \d+m/);
    expect(out).toMatch(/size:\s+\d+ of 4096 bytes, fits in one cookie/);
    expect(out).toMatch(/cookies needed:\s+1/);
    expect(out).toMatch(/user:\s+\S+ alice@acme\.test \(Alice Moreau\)/);
    expect(out).toMatch(/signature:\s+valid/);
    expect(out).toMatch(/token:\s+valid/);
    expect(out).toMatch(new RegExp(`refresh token:\\s+${session.refreshToken.slice(0, 4)}…`));
    expect(out).not.toContain(session.refreshToken);
    expect(out).not.toContain(session.accessToken);
    expect(out).not.toContain('\u001b[');
  });

  test('--show-tokens prints the access token, never the refresh token', async () => {
    const result = await cli(['inspect', '--show-tokens'], { input: session.cookie, env: { WORKOS_COOKIE_PASSWORD: PASSWORD } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(session.accessToken);
    expect(result.stdout).not.toContain(session.refreshToken);
  });

  test('--json: stable keys for scripts', async () => {
    const result = await cli(['inspect', '--json', '-p', PASSWORD, ...verifyFlags()], { input: `wos-session=${session.cookie}` });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['ok', 'failures', 'cookie', 'size', 'session', 'payloadKeys', 'accessToken', 'verification']);
    expect(report).toMatchObject({
      ok: true,
      failures: [],
      cookie: { name: 'wos-session', format: 'iron', passwordId: '1', newestPassword: true, chunksInInput: 0 },
      size: { budget: 4096, fits: true, cookiesNeeded: 1 },
      session: { user: { id: session.userId, email: 'alice@acme.test' }, refreshToken: `${session.refreshToken.slice(0, 4)}…` },
      accessToken: { issuer: emulator.url, expired: false, claims: { sub: session.userId, aud: emulator.clientId } },
      verification: { result: 'valid', signature: 'valid', code: null, jwksUrl: `${emulator.url}/sso/jwks/${emulator.clientId}` },
    });
    expect(report.accessToken.expiresInSec).toBeGreaterThan(0);
    expect(typeof report.accessToken.claims.sid).toBe('string');
    expect(report.session.accessToken).not.toBe(session.accessToken);
  });

  test('--jwks alone verifies the signature', async () => {
    const result = await cli(['inspect', session.cookie, '-p', PASSWORD, '--jwks', `${emulator.url}/sso/jwks/${emulator.clientId}`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/signature:\s+valid/);
    expect(result.stdout).toMatch(/issuers:\s+not checked/);
  });

  test('a whole Cookie header with a chunked session', async () => {
    const half = Math.ceil(session.cookie.length / 2);
    const header = `Cookie: theme=dark; wos-session.1=${session.cookie.slice(half)}; wos-session.0=${session.cookie.slice(0, half)}`;
    const result = await cli(['inspect', '--json', '-p', PASSWORD], { input: header });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).cookie).toMatchObject({ name: 'wos-session', chunksInInput: 2 });
    const missing = await cli(['inspect', '-p', PASSWORD, `wos-session.1=${session.cookie.slice(half)}`, '--cookie-name', 'wos-session']);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('missing_chunk') });
  });

  test('a value too large for one cookie reports the chunks it needs', async () => {
    const sealed = await sealData({ blob: 'x'.repeat(5000) }, { password: PASSWORD });
    const result = await cli(['inspect', '--json', '-p', PASSWORD], { input: sealed });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.size).toMatchObject({ fits: false, cookiesNeeded: 2 });
    expect(report.size.setCookieBytes).toBeGreaterThan(4096);
    expect(report).toMatchObject({ session: null, payloadKeys: ['blob'], accessToken: null });
  });

  test('a Fernet session sealed with an older password', async () => {
    const sealed = await sealData(
      { access_token: session.accessToken, refresh_token: session.refreshToken, user: { id: session.userId, email: 'alice@acme.test' } },
      { password: FERNET_KEY, format: 'fernet' },
    );
    const result = await cli(['inspect', sealed, '--json', '-p', NEW_FERNET_KEY, '-p', FERNET_KEY]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.cookie).toMatchObject({ format: 'fernet', passwordId: '1', newestPassword: false });
    expect(Date.parse(report.cookie.sealedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(report.session.user.id).toBe(session.userId);
  });

  test('an expired token: reported, and a failure with --require-valid', async () => {
    const now = Math.floor(Date.now() / 1000);
    const accessToken = fakeToken({ sub: 'user_1', sid: 'session_1', iss: 'https://api.workos.com', iat: now - 9000, exp: now - 7200 });
    const sealed = await sealData({ accessToken, refreshToken: 'refresh_secret_value', user: { id: 'user_1', email: 'a@example.com' } }, { password: PASSWORD });
    const env = { WORKOS_COOKIE_PASSWORD: PASSWORD };
    const plain = await cli(['inspect'], { input: sealed, env });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/expiry:\s+expired 2h ago/);
    const strict = await cli(['inspect', '--require-valid'], { input: sealed, env });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^sealed-session inspect: access token expired 2h ago \(jwt_expired\)\n$/);
  });

  test('a token that does not verify: exit 1 with the precise code', async () => {
    const [header, payload] = session.accessToken.split('.');
    const forged = `${header}.${payload}.${Buffer.alloc(256, 7).toString('base64url')}`;
    const sealed = await sealData({ accessToken: forged, refreshToken: session.refreshToken, user: { id: session.userId, email: 'alice@acme.test' } }, { password: PASSWORD });
    const result = await cli(['inspect', sealed, '-p', PASSWORD, ...verifyFlags()]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/signature:\s+invalid/);
    expect(result.stderr).toMatch(/signature does not verify.*\(jwt_bad_signature\)/);

    const issuer = await cli(['inspect', session.cookie, '-p', PASSWORD, ...verifyFlags(), '--issuer', 'https://issuer.example', '--json']);
    expect(issuer.code).toBe(1);
    expect(JSON.parse(issuer.stdout)).toMatchObject({ ok: false, failures: [{ code: 'jwt_bad_issuer' }], verification: { signature: 'valid', result: 'invalid' } });
  });

  test('keys that cannot be fetched fail the check as jwks_unavailable', async () => {
    const result = await cli(['inspect', session.cookie, '-p', PASSWORD, '--jwks', `${emulator.url}/no-such-jwks`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('(jwks_unavailable)');
  });

  test('wrong password: exit 1', async () => {
    const result = await cli(['inspect', session.cookie, '-p', OTHER_PASSWORD]);
    expect(result).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('seal_bad_mac') });
  });
});

describe('usage', () => {
  test.each([
    [[]],
    [['frobnicate']],
    [['--bogus']],
    [['keygen', '--format', 'rot13']],
    [['keygen', 'extra']],
    [['seal', '{}', '--bogus', '-p', PASSWORD]],
    [['seal', '{}', '{}', '-p', PASSWORD]],
    [['seal', '{}', '--ttl', 'soon', '-p', PASSWORD]],
    [['seal', '{}']],
    [['unseal', 'Fe26.2*1*x', '--password']],
    [['inspect', 'Fe26.2*1*x', '-p', PASSWORD, '--base-url', 'http://localhost:1']],
    [['inspect', 'Fe26.2*1*x', '-p', PASSWORD, '--jwks', 'not a url']],
  ])('%j exits 2 with one line on stderr', async (args) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    if (args.length > 0) expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('--help for the tool and each command, --version', async () => {
    const main = await cli(['--help']);
    expect(main.code).toBe(0);
    for (const command of ['keygen', 'seal', 'unseal', 'inspect']) expect(main.stdout).toContain(`  ${command} `);
    for (const command of ['keygen', 'seal', 'unseal', 'inspect']) {
      for (const args of [[command, '--help'], [command, '-h'], ['help', command]]) {
        const result = await cli(args);
        expect(result.code).toBe(0);
        expect(result.stdout).toContain(`Usage: sealed-session ${command}`);
        expect(result.stdout).toContain('Examples:');
      }
    }
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });
});

test('no output ever contained a password or a refresh token', () => {
  expect(transcript.length).toBeGreaterThan(30);
  for (const { stdout, stderr } of transcript) {
    for (const secret of [PASSWORD, OTHER_PASSWORD, FERNET_KEY, NEW_FERNET_KEY, session.refreshToken, 'refresh_secret_value']) {
      expect(stdout).not.toContain(secret);
      expect(stderr).not.toContain(secret);
    }
  }
});
