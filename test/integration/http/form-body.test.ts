/**
 * The bodies of the auth routes' POSTs through the Fetch handler in a real Hono server, over a
 * bare socket: a cap of 8 KiB, refused by `Content-Length` before reading, a stream past the cap
 * cancelled (the server stops receiving it), junk refused with a 4xx, never a 5xx.
 */
import { describe, expect, test } from 'vitest';
import { TestClient } from '../../support/client.js';
import { BODY_PROBES, MAX_FORM_BODY_BYTES } from '../../support/hostile-bodies.js';
import { rawExchange, statuses, streamUntilAnswered } from '../../support/raw-http.js';
import { appOnEmulatorForFile } from '../../support/web-app.js';

/** More than any server would buffer for an 8 KiB cap: sending it all means nobody stopped reading. */
const ENDLESS = 256 * 1024 * 1024;

const site = appOnEmulatorForFile();

async function signedIn(): Promise<TestClient> {
  const client = new TestClient(site.app.origin);
  await client.follow(`/auth/sign-in?loginHint=${encodeURIComponent(site.emulator.users.alice.email)}`);
  expect(client.jar.has('wos-session')).toBe(true);
  return client;
}

function streamingHead(headers: Record<string, string>): string {
  const { host } = new URL(site.app.origin);
  const all = { host, 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked', ...headers };
  return `POST /auth/switch-organization HTTP/1.1\r\n${Object.entries(all).map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n`;
}

describe('POST bodies of the auth routes', () => {
  test.each(BODY_PROBES.map((probe) => [probe.name, probe] as const))('%s', async (_name, probe) => {
    const answer = await rawExchange(site.app.origin, probe.request(site.app.origin), { end: probe.end });
    const codes = statuses(answer);
    if (probe.end && codes.length === 0) return; // the server may drop a connection that broke its promise
    expect(codes[0]).toBe(probe.status);
    for (const code of codes) expect(code).toBeLessThan(500);
  });

  test('a body of exactly the cap is read and acted on', async () => {
    const client = await signedIn();
    const { acme } = site.emulator.organizations;
    const prefix = `organizationId=${acme.id}&returnTo=/settings&pad=`;
    const body = prefix + 'a'.repeat(MAX_FORM_BODY_BYTES - prefix.length);
    const response = await client.request('/auth/switch-organization', {
      method: 'POST', headers: { origin: site.app.origin, 'content-type': 'application/x-www-form-urlencoded' }, body,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/settings');
    const json = await client.request('/auth/session');
    expect(await json.json()).toMatchObject({ authenticated: true, organizationId: acme.id });
  });

  test('a body that never ends is answered 413 and the server stops receiving it', async () => {
    const client = await signedIn();
    const { received, sent } = await streamUntilAnswered(
      site.app.origin,
      streamingHead({ origin: site.app.origin, cookie: client.cookieHeader() }),
      ENDLESS,
    );
    expect(statuses(received)[0]).toBe(413);
    expect(sent).toBeLessThan(ENDLESS);
  });

  test.each([
    ['a cross-site POST', { origin: 'https://evil.example', cookie: 'wos-session=x' }, 403],
    ['a POST without a session cookie', { origin: 'ORIGIN' }, 303],
  ] as const)('%s with a body that never ends is answered without reading it', async (_name, headers, status) => {
    const { received, sent } = await streamUntilAnswered(
      site.app.origin,
      streamingHead({ ...headers, origin: headers.origin === 'ORIGIN' ? site.app.origin : headers.origin }),
      ENDLESS,
    );
    expect(statuses(received)[0]).toBe(status);
    expect(sent).toBeLessThan(ENDLESS);
  });
});
