/** configure() and getConfig(): option names, environment variables, priority and errors. */
import { afterEach, describe, expect, test } from 'vitest';
import { ConfigError } from '../../../src/errors/index.js';
import { configure, getConfig } from '../../../src/react-router/index.js';

const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';

afterEach(() => {
  configure({ clientId: undefined, apiKey: undefined, redirectUri: undefined, cookiePassword: undefined, cookieName: undefined, cookieMaxAge: undefined, apiHostname: undefined, apiHttps: undefined, apiPort: undefined }, () => undefined);
});

describe('configure and getConfig', () => {
  test('values given to configure() win over the environment', () => {
    configure({ clientId: 'client_from_code' }, { WORKOS_CLIENT_ID: 'client_from_env', WORKOS_API_KEY: 'sk_env' });
    expect(getConfig('clientId')).toBe('client_from_code');
    expect(getConfig('apiKey')).toBe('sk_env');
  });

  test('a lookup function is an environment source', () => {
    const env: Record<string, string> = { WORKOS_REDIRECT_URI: 'http://localhost:5173/callback', WORKOS_COOKIE_NAME: 'app-session' };
    configure((key) => env[key]);
    expect(getConfig('redirectUri')).toBe('http://localhost:5173/callback');
    expect(getConfig('cookieName')).toBe('app-session');
  });

  test('defaults of the optional settings', () => {
    configure({}, {});
    expect(getConfig('cookieName')).toBe('wos-session');
    expect(getConfig('cookieMaxAge')).toBe(34_560_000);
    expect(getConfig('apiHostname')).toBe('api.workos.com');
    expect(getConfig('apiHttps')).toBe(true);
    expect(getConfig('apiPort')).toBeUndefined();
  });

  test('environment strings become booleans and numbers', () => {
    configure({}, { WORKOS_API_HTTPS: 'false', WORKOS_API_PORT: '8080', WORKOS_COOKIE_MAX_AGE: '3600' });
    expect(getConfig('apiHttps')).toBe(false);
    expect(getConfig('apiPort')).toBe(8080);
    expect(getConfig('cookieMaxAge')).toBe(3600);
  });

  test.each(['abc', '-1', '0', '1.5', '1e400', '0x10'])('an environment number %j is a ConfigError', (raw) => {
    configure({}, { WORKOS_API_PORT: raw });
    expect(() => getConfig('apiPort')).toThrow(ConfigError);
  });

  test.each(['clientId', 'apiKey', 'redirectUri', 'cookiePassword'] as const)('a missing %s is a ConfigError naming its variable', (key) => {
    configure({}, {});
    expect(() => getConfig(key)).toThrow(/WORKOS_/);
    expect(() => getConfig(key)).toThrow(ConfigError);
  });

  test.each([['short'], [['x'.repeat(31)]], [[PASSWORD, 'short']]])('a cookiePassword under 32 characters is refused: %j', (cookiePassword) => {
    expect(() => configure({ cookiePassword })).toThrow(ConfigError);
  });

  test('a list of passwords is kept, newest first', () => {
    configure({ cookiePassword: [PASSWORD, `${PASSWORD}-old`] });
    expect(getConfig('cookiePassword')).toEqual([PASSWORD, `${PASSWORD}-old`]);
  });
});
