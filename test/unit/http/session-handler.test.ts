/**
 * `createSessionHandler()` on requests that a lenient server lets through: whatever the URL, an
 * answer, never a throw or a 500.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { createSessionHandler, SessionManager, type SessionHandler } from '../../../src/index.js';
import { createFakeProvider } from '../../support/fake-provider.js';

let auth: SessionHandler;

beforeAll(async () => {
  const provider = await createFakeProvider();
  const sessions = new SessionManager({ ...provider.managerOptions, cookiePassword: 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA' });
  auth = createSessionHandler({ sessions, redirectUri: 'https://app.test/auth/callback' });
});

// What some Node servers hand on for a bad Host: an object shaped like a Request whose URL does not parse.
function requestWithUrl(url: string, method = 'GET'): Request {
  const fields = { url: { value: url }, method: { value: method }, headers: { value: new Headers() }, body: { value: null } };
  return Object.create(Request.prototype, fields) as Request;
}

describe('a request whose URL does not parse', () => {
  const urls = ['http://1.2.3.999/auth/session', 'http://256.256.256.256/auth/sign-in', 'http://a b/auth/callback', '', '/auth/session', 'http://[zz]/'];
  test.each(urls)('%j: 400', async (url) => {
    for (const method of ['GET', 'POST']) {
      const response = await auth.handle(requestWithUrl(url, method));
      expect(response?.status).toBe(400);
    }
  });
});
