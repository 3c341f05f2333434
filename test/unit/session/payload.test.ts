/**
 * What a session cookie holds: camelCase keys in Iron (as @workos-inc/node writes them),
 * snake_case keys in Fernet (as workos-python writes them), either style read from either
 * format, and nothing kept beyond the session's own fields.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { sealData, SessionManager, unsealData, type User } from '../../../src/index.js';
import { createFakeProvider, type FakeProvider, type WireUser } from '../../support/fake-provider.js';

/** A 32-byte key: serves Iron and Fernet alike. */
const KEY = 'c2VhbGVkLXNlc3Npb24tdGVzdC1rZXktMzItYnl0ZXM';

let provider: FakeProvider;
let sessions: SessionManager;
let user: WireUser;
let accessToken: string;

beforeAll(async () => {
  provider = await createFakeProvider();
  sessions = new SessionManager({ ...provider.managerOptions, cookiePassword: KEY });
  user = provider.addUser({ email: 'grace@example.test', first_name: 'Grace', last_name: 'Hopper', external_id: 'ext_7', metadata: { team: 'navy' } });
  accessToken = await provider.sign(provider.claims({ sub: user.id, sid: 'session_payload' }));
});

const camelUser = (): User => ({
  object: 'user', id: user.id, email: user.email, emailVerified: true, profilePictureUrl: null, firstName: 'Grace', lastName: 'Hopper',
  lastSignInAt: null, createdAt: user.created_at, updatedAt: user.updated_at, externalId: 'ext_7', metadata: { team: 'navy' },
});

const impersonator = { email: 'admin@example.test', reason: 'audit' };

describe('key styles', () => {
  test('Iron is written with camelCase keys, Fernet with snake_case keys', async () => {
    const input = { accessToken, refreshToken: 'refresh_1', user: camelUser(), impersonator, authenticationMethod: 'SSO' };
    expect(await unsealData(await sessions.sealSessionFromAuthResponse(input, { format: 'iron' }), { password: KEY })).toEqual({
      accessToken, refreshToken: 'refresh_1', user: camelUser(), impersonator, authenticationMethod: 'SSO',
    });
    expect(await unsealData(await sessions.sealSessionFromAuthResponse(input, { format: 'fernet' }), { password: KEY })).toEqual({
      access_token: accessToken,
      refresh_token: 'refresh_1',
      user: {
        object: 'user', id: user.id, email: user.email, email_verified: true, profile_picture_url: null, first_name: 'Grace', last_name: 'Hopper',
        last_sign_in_at: null, created_at: user.created_at, updated_at: user.updated_at, external_id: 'ext_7', metadata: { team: 'navy' },
      },
      impersonator,
      authentication_method: 'SSO',
    });
  });

  const snake = () => ({ access_token: accessToken, refresh_token: 'refresh_1', user, impersonator, authentication_method: 'SSO' });
  const camel = () => ({ accessToken, refreshToken: 'refresh_1', user: camelUser(), impersonator, authenticationMethod: 'SSO' });
  for (const [style, data] of [['snake_case', snake], ['camelCase', camel]] as const) {
    for (const format of ['iron', 'fernet'] as const) {
      test(`a ${format} cookie with ${style} keys authenticates as the same session`, async () => {
        const cookie = await sealData(data(), { password: KEY, format });
        expect(await sessions.loadSealedSession({ sessionData: cookie }).authenticate()).toMatchObject({
          authenticated: true, sessionId: 'session_payload', user: camelUser(), impersonator, authenticationMethod: 'SSO', sealFormat: format,
        });
      });
    }
  }
});

describe('only the session’s fields', () => {
  test('fields a cookie carries beyond the schema are not read, and a user’s unknown fields are dropped', async () => {
    const cookie = await sealData({
      accessToken,
      refreshToken: 'refresh_1',
      user: { ...camelUser(), passwordHash: '$2b$secret', role: 'owner', metadata: { team: 'navy', nested: { deep: true }, count: 3 } },
      organizationId: 'org_forged',
      permissions: ['everything'],
      impersonator: { email: 'admin@example.test', reason: 42, extra: 'x' },
    }, { password: KEY });
    const result = await sessions.loadSealedSession({ sessionData: cookie }).authenticate();
    if (!result.authenticated) throw new Error(result.reason);
    expect(result.user).toEqual(camelUser());
    expect(result.organizationId).toBeUndefined();
    expect(result.permissions).toBeUndefined();
    expect(result.impersonator).toEqual({ email: 'admin@example.test', reason: null });
  });

  test('an impersonator without an email is none', async () => {
    for (const value of [{}, { email: '' }, { email: 42 }, 'admin@example.test', [impersonator], null]) {
      const cookie = await sealData({ accessToken, refreshToken: 'refresh_1', user: camelUser(), impersonator: value }, { password: KEY });
      expect(await sessions.loadSealedSession({ sessionData: cookie }).authenticate()).toMatchObject({ authenticated: true, impersonator: undefined });
    }
  });

  test('the user returned is a copy: changing it changes nothing the next request reads', async () => {
    const cookie = await sessions.sealSessionFromAuthResponse({ accessToken, refreshToken: 'refresh_1', user: camelUser() });
    const first = await sessions.loadSealedSession({ sessionData: cookie }).authenticate();
    if (!first.authenticated) throw new Error(first.reason);
    first.user.email = 'mallory@example.test';
    first.user.metadata.team = 'pirates';
    expect(await sessions.loadSealedSession({ sessionData: cookie }).authenticate()).toMatchObject({ user: camelUser() });
  });
});
