/**
 * Every `Location` the auth routes write stays on the app's origin, whatever return path a link
 * or a form carries: the refresh and organization-switch redirects, and the callback's redirect
 * after sign-in, through the Fetch handler in a real Hono server against the emulator.
 */
import { describe, expect, test } from 'vitest';
import { TestClient } from '../../support/client.js';
import { HOSTILE_RETURN_TO } from '../../support/hostile-return-to.js';
import { appOnEmulatorForFile } from '../../support/web-app.js';

const site = appOnEmulatorForFile();

/** A spread of the generated variants (every one of the hand-written ones, a stride of the rest). */
function sample(stride: number): string[] {
  return HOSTILE_RETURN_TO.filter((_, index) => index < 45 || index % stride === 0);
}

function expectOnOrigin(location: string | null): void {
  expect(location).not.toBeNull();
  expect(location!.startsWith('//')).toBe(false);
  expect(location!.startsWith('/\\')).toBe(false);
  expect(new URL(location!, `${site.app.origin}/deep/page`).origin).toBe(site.app.origin);
}

describe('Location headers of the auth routes', () => {
  const refreshTargets = sample(8);

  test(`POST /auth/refresh and /auth/switch-organization: ${refreshTargets.length} return paths, each redirect on this origin`, async () => {
    const client = new TestClient(site.app.origin);
    await client.follow(`/auth/sign-in?loginHint=${encodeURIComponent(site.emulator.users.alice.email)}`);
    expect(client.jar.has('wos-session')).toBe(true);
    for (const [index, returnTo] of refreshTargets.entries()) {
      const switching = index % 4 === 0;
      const fields: Record<string, string> = switching ? { returnTo, organizationId: site.emulator.organizations.acme.id } : { returnTo };
      const response = await client.request(switching ? '/auth/switch-organization' : '/auth/refresh', {
        method: 'POST',
        headers: { origin: site.app.origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      });
      expect(response.status).toBe(303);
      expectOnOrigin(response.headers.get('location'));
    }
    expect(client.jar.has('wos-session')).toBe(true);
  });

  const signInTargets = sample(60);

  test(`the callback after sign-in: ${signInTargets.length} return paths, each redirect on this origin`, async () => {
    for (const returnTo of signInTargets) {
      const client = new TestClient(site.app.origin);
      const hops = await client.follow(`/auth/sign-in?loginHint=${encodeURIComponent(site.emulator.users.alice.email)}&returnTo=${encodeURIComponent(returnTo)}`);
      const callback = hops.find((hop) => new URL(hop.url).pathname === '/auth/callback');
      expect(callback?.status).toBe(302);
      expectOnOrigin(callback!.headers.get('location'));
      expect(client.jar.has('wos-session')).toBe(true);
    }
  });

  test('a dot segment before a double slash (/.//evil.example/) lands on /', async () => {
    const client = new TestClient(site.app.origin);
    await client.follow(`/auth/sign-in?loginHint=${encodeURIComponent(site.emulator.users.alice.email)}`);
    const response = await client.request('/auth/refresh', {
      method: 'POST',
      headers: { origin: site.app.origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ returnTo: '/.//evil.example/' }),
    });
    expect(response.headers.get('location')).toBe('/');
  });
});
