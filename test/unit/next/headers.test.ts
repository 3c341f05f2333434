import { describe, expect, test } from 'vitest';
import { AUTHKIT_REQUEST_HEADERS, applyResponseHeaders, isAuthkitRequestHeader, partitionAuthkitHeaders } from '../../../src/next/headers.js';

describe('the proxy headers', () => {
  test('internal header names are recognised whatever their case, and any x-workos-*', () => {
    for (const name of [...AUTHKIT_REQUEST_HEADERS, 'X-WorkOS-Session', 'X-URL', 'x-workos-anything']) expect(isAuthkitRequestHeader(name)).toBe(true);
    for (const name of ['accept', 'cookie', 'x-forwarded-for', 'x-urls', 'workos-session']) expect(isAuthkitRequestHeader(name)).toBe(false);
  });

  test('headers a client forges are dropped; the proxy sets its own', () => {
    const request = new Request('https://app.example.com/page', {
      headers: {
        accept: 'text/html',
        'x-workos-middleware': 'true',
        'x-workos-session': 'Fe26.2*forged',
        'x-url': 'https://evil.example/',
        'x-redirect-uri': 'https://evil.example/callback',
        'x-sign-up-paths': '/(.*)',
        'x-workos-other': '1',
      },
    });
    const authkit = new Headers({ 'x-workos-middleware': 'true', 'x-url': request.url });
    const { requestHeaders } = partitionAuthkitHeaders(request, authkit);
    expect(Object.fromEntries(requestHeaders)).toEqual({ accept: 'text/html', 'x-workos-middleware': 'true', 'x-url': 'https://app.example.com/page' });
  });

  test('only Set-Cookie, Cache-Control and Vary go to the browser; a cookie-setting response is no-store', () => {
    const request = new Request('https://app.example.com/');
    const authkit = new Headers({ 'x-workos-session': 'Fe26.2*secret', 'x-url': request.url, vary: 'Cookie', 'x-other': '1' });
    authkit.append('set-cookie', 'a=1; Path=/');
    authkit.append('set-cookie', 'b=2; Path=/');
    const { responseHeaders } = partitionAuthkitHeaders(request, authkit);
    expect(responseHeaders.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(responseHeaders.get('cache-control')).toBe('no-store');
    expect(responseHeaders.get('vary')).toBe('Cookie');
    expect(responseHeaders.has('x-workos-session')).toBe(false);
    expect(responseHeaders.has('x-url')).toBe(false);
    expect(responseHeaders.has('x-other')).toBe(false);
  });

  test('a response without cookies gets no Cache-Control it did not ask for', () => {
    const { responseHeaders } = partitionAuthkitHeaders(new Request('https://app.example.com/'), new Headers({ 'x-url': 'https://app.example.com/' }));
    expect([...responseHeaders]).toEqual([]);
  });

  test('applying keeps the response’s own cookies and merges Vary without repeats', () => {
    const response = new Response('ok', { headers: { vary: 'Accept, cookie' } });
    response.headers.append('set-cookie', 'theme=dark');
    const responseHeaders = new Headers({ vary: 'Cookie, Accept-Language', 'cache-control': 'private, no-store' });
    responseHeaders.append('set-cookie', 'wos-session=x; Path=/');
    applyResponseHeaders(response, responseHeaders);
    expect(response.headers.getSetCookie()).toEqual(['theme=dark', 'wos-session=x; Path=/']);
    expect(response.headers.get('vary')).toBe('Accept, cookie, Accept-Language');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });
});
