/**
 * No output of the CLI repeats a secret given in the wrong place: every command and option is
 * called with secret-looking values (passwords, Fernet keys, keys starting with dashes, an API
 * key, a sealed cookie, tokens) where a mistake would put them, and the binary must fail
 * without printing any of them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sealData } from '../../../src/index.js';
import { build, cli, type CliResult } from './run-cli.js';

const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';
const OTHER_PASSWORD = 'Qm3vX8pL2sR9tK4wZ7yB1nC6dF5gH0jA';
const REFRESH_TOKEN = 'Rt9xWq2LmZ7vKp4NcY8bHs3Jd6Fg1Ta5';
const ACCESS_TOKEN = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"sub":"user_1"}').toString('base64url')}.c2lnbmF0dXJlLW9mLWEtdG9rZW4`;

const cookie = await sealData(
  { accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN, user: { id: 'user_1', email: 'a@example.com' } },
  { password: PASSWORD },
);

/** What a user may paste by mistake. */
const secrets: Array<[kind: string, value: string]> = [
  ['a keygen password', 'uiSEf83cE6weUOkjcsaPt6VmmwQSla3XiL-9G9UDWVI'],
  ['a Fernet key', 'hX3kP9qL2vR7tY4wZ8mN1bC6dF5gJ0sA_eUiOa-Qx0c='],
  ['a key starting with --', '--Kp4Wq8Lm2Zx7Rv1Nc9Bd3Hy6Fs0Gj5Te2Ua7Qo9I'],
  ['a key starting with -', '-Tq4mW9vLx2Rk7Zp1Nc8Bd3Hy6Fs0Gj5Ke2Ua7Qo9I'],
  ['an API key', 'sk_test_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ'],
  ['an access token', ACCESS_TOKEN],
  ['a refresh token', REFRESH_TOKEN],
  ['a short password', 'Hunter2-Hunter2!'],
  ['a sealed cookie', cookie],
  ['a cookie header', `wos-session=${cookie}`],
];

let dir: string;

beforeAll(() => {
  build();
  dir = mkdtempSync(join(tmpdir(), 'sealed-session-secrets-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Probe {
  args: string[];
  input?: string;
  env?: Record<string, string>;
}

/** Every place on a command line where a secret may land by mistake. Each call must fail. */
function probes(secret: string): Probe[] {
  const env = { WORKOS_COOKIE_PASSWORD: PASSWORD };
  const wrongEnv = { WORKOS_COOKIE_PASSWORD: OTHER_PASSWORD };
  return [
    { args: [secret] },
    { args: ['help', secret] },
    { args: [`--password=${secret}`] },
    { args: ['keygen', secret] },
    { args: ['keygen', '--format', secret] },
    { args: ['keygen', `--formt=${secret}`] },
    { args: ['keygen', `--env=${secret}`] },
    { args: ['seal', secret], env },
    { args: ['seal', '{}', '--format', secret], env },
    { args: ['seal', '{}', '--ttl', secret], env },
    { args: ['seal', '{}', '--password-file', secret] },
    { args: ['seal', '{}', `--passwrd=${secret}`] },
    { args: ['seal', '{}', secret], env },
    { args: ['seal'], input: secret, env },
    { args: ['seal', '{}'], env: { WORKOS_COOKIE_PASSWORD: secret.slice(0, 20) } },
    { args: ['seal', '{}', '--format', 'fernet', '--password', secret.slice(0, 31)] },
    { args: ['unseal', secret], env: wrongEnv },
    { args: ['unseal'], input: secret, env: wrongEnv },
    { args: ['unseal', '--password-file', secret], input: cookie },
    { args: ['unseal', '--ttl', secret], input: cookie, env },
    { args: ['unseal', `--compact=${secret}`], input: cookie, env },
    { args: ['unseal', cookie, secret], env },
    { args: ['inspect', secret], env: wrongEnv },
    { args: ['inspect'], input: secret, env: wrongEnv },
    { args: ['inspect', '--password-file', secret], input: cookie },
    { args: ['inspect', '--cookie-name', secret], input: `Cookie: wos-session=${cookie}`, env },
    { args: ['inspect', '--client-id', secret], input: cookie, env },
    { args: ['inspect', '--jwks', secret], input: cookie, env },
    { args: ['inspect', '--base-url', secret, '--client-id', 'client_123'], input: cookie, env },
    { args: ['inspect', '--client-id', 'client_123'], input: cookie, env: { ...env, WORKOS_BASE_URL: secret } },
    { args: ['inspect', '--issuer', secret, '--client-id', 'client_123'], input: cookie, env },
    { args: ['inspect', '--jwks', `https://user:${encodeURIComponent(secret)}@127.0.0.1:1/jwks`], input: cookie, env },
    { args: ['inspect', `--json=${secret}`], input: cookie, env },
    { args: ['inspect', '-p', OTHER_PASSWORD, secret] },
  ];
}

function leaks(result: CliResult, secret: string): boolean {
  // Also caught when only part of it appears (a trimmed or shortened copy).
  const core = secret.replace(/^-+/, '').slice(0, 16);
  return [result.stdout, result.stderr].some((text) => text.includes(core));
}

/** Runs the probes a few at a time: the machine is shared. */
async function runAll(list: readonly Probe[]): Promise<CliResult[]> {
  const results: CliResult[] = [];
  for (let start = 0; start < list.length; start += 4) {
    const batch = list.slice(start, start + 4).map((probe) => cli(probe.args, { input: probe.input, env: probe.env }));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

describe.each(secrets)('%s given in the wrong place', (_kind, secret) => {
  test('every command and option fails without printing it', async () => {
    const list = probes(secret);
    const results = await runAll(list);
    results.forEach((result, index) => {
      const probe = list[index] as Probe;
      expect({ probe, code: result.code }).not.toEqual({ probe, code: 0 });
      expect({ probe, leaked: leaks(result, secret) }).toEqual({ probe, leaked: false });
      expect(result.stderr.trim()).not.toBe('');
    });
  }, 120_000);
});

describe('password files', () => {
  test('a secret inside an unusable password file is never printed', async () => {
    const files = {
      empty: '# only a comment\n\n',
      weak: `${'ab'.repeat(20)}\n`,
      short: `${PASSWORD.slice(0, 20)}\n`,
      wrong: `${OTHER_PASSWORD}\n`,
      'weak second line': `${PASSWORD}\n${PASSWORD.slice(0, 12)}\n`,
    };
    for (const [name, content] of Object.entries(files)) {
      const file = join(dir, name);
      writeFileSync(file, content);
      const result = await cli(['unseal', '--password-file', file], { input: cookie });
      expect({ name, code: result.code }).toEqual({ name, code: 1 });
      for (const line of content.split('\n').filter((text) => text && !text.startsWith('#'))) {
        expect(result.stdout + result.stderr).not.toContain(line);
      }
      expect(result.stderr).not.toContain(file);
    }
  });

  test('a file larger than a password file is refused before it is read whole', async () => {
    const file = join(dir, 'large');
    writeFileSync(file, `${PASSWORD}\n`.repeat(3000));
    const result = await cli(['unseal', '--password-file', file], { input: cookie });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(/larger than \d+ bytes \(cli_bad_input\)\n$/);
    expect(result.stderr).not.toContain(PASSWORD);
    const device = await cli(['unseal', '--password-file', '/dev/zero'], { input: cookie });
    expect(device).toMatchObject({ code: 1, stderr: expect.stringContaining('larger than') });
    const folder = await cli(['unseal', '--password-file', dir], { input: cookie });
    expect(folder).toMatchObject({ code: 1, stderr: expect.stringContaining('EISDIR') });
    expect(folder.stderr).not.toContain(dir);
  });
});

describe('--password on the command line', () => {
  test('works, and warns that the secret is visible in the process list', async () => {
    const result = await cli(['unseal', '--compact', '-p', PASSWORD], { input: cookie });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^sealed-session unseal: warning: --password .*process list.*WORKOS_COOKIE_PASSWORD or --password-file\n$/);
    expect(result.stderr).not.toContain(PASSWORD);
  });

  test('the environment and a password file print no warning', async () => {
    const file = join(dir, 'keys.txt');
    writeFileSync(file, `${PASSWORD}\n`);
    for (const options of [{ env: { WORKOS_COOKIE_PASSWORD: PASSWORD } }, { args: ['--password-file', file] }]) {
      const result = await cli(['unseal', '--compact', ...(options.args ?? [])], { input: cookie, env: options.env });
      expect(result).toMatchObject({ code: 0, stderr: '' });
    }
  });

  test('help teaches the environment and the file before the option', async () => {
    for (const command of ['seal', 'unseal', 'inspect']) {
      const { stdout } = await cli([command, '--help']);
      const examples = stdout.slice(stdout.indexOf('Examples:'));
      expect(examples).not.toMatch(/--password |-p /);
      expect(examples).not.toContain('"$COOKIE"');
      expect(stdout.indexOf('WORKOS_COOKIE_PASSWORD')).toBeLessThan(stdout.indexOf('--password <secret>'));
    }
  });
});
