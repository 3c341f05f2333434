/**
 * A minimal browser stand-in for HTTP tests: keeps a cookie jar (honouring deletions), follows
 * redirects across origins by hand, and records every response.
 */
export class TestClient {
  readonly jar = new Map<string, string>();

  constructor(readonly origin: string) {}

  cookieHeader(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const deleted = attributes.some((attr) => /^\s*max-age=0\s*$/i.test(attr)) || value === '';
      if (deleted) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(path, this.origin);
    const headers = new Headers(init.headers);
    if (url.origin === this.origin && this.jar.size > 0 && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    if (url.origin === this.origin) this.store(response);
    return response;
  }

  /** Follows redirects (up to 10) and returns every hop's response, the last one last. */
  async follow(path: string, init: RequestInit = {}): Promise<Response[]> {
    const hops: Response[] = [];
    let next: string | undefined = path;
    let options = init;
    for (let i = 0; next && i < 10; i++) {
      const response = await this.request(next, options);
      hops.push(response);
      const location = response.headers.get('location');
      next = response.status >= 300 && response.status < 400 && location ? new URL(location, new URL(next, this.origin)).toString() : undefined;
      options = {};
    }
    return hops;
  }

  sessionCookieBytes(name = 'wos-session'): number {
    let total = 0;
    for (const [key, value] of this.jar) if (key === name || key.startsWith(`${name}.`)) total += value.length;
    return total;
  }
}
