/**
 * The library writes cookies as `Set-Cookie` strings. A proxy's response carries them as they
 * are; in server actions and route handlers they go through Next.js's cookie store, which takes
 * a name, a value and options. This reads back the strings the library itself serialized.
 */

/** One `Set-Cookie` the library wrote, in the shape of Next.js's `cookies().set()`. */
export interface ParsedSetCookie {
  name: string;
  value: string;
  options: {
    path?: string;
    domain?: string;
    maxAge?: number;
    expires?: Date;
    httpOnly?: boolean;
    secure?: boolean;
    sameSite?: 'lax' | 'strict' | 'none';
    partitioned?: boolean;
    priority?: 'low' | 'medium' | 'high';
  };
}

/** Reads a `Set-Cookie` string: `name=value; Attr=…; Flag`. */
export function parseSetCookie(header: string): ParsedSetCookie {
  const [pair = '', ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  const parsed: ParsedSetCookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), options: {} };
  const { options } = parsed;
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const value = at === -1 ? '' : attribute.slice(at + 1).trim();
    if (key === 'path') options.path = value;
    else if (key === 'domain') options.domain = value;
    else if (key === 'max-age') options.maxAge = Number(value);
    else if (key === 'expires') options.expires = new Date(value);
    else if (key === 'httponly') options.httpOnly = true;
    else if (key === 'secure') options.secure = true;
    else if (key === 'partitioned') options.partitioned = true;
    else if (key === 'samesite') options.sameSite = value.toLowerCase() as 'lax' | 'strict' | 'none';
    else if (key === 'priority') options.priority = value.toLowerCase() as 'low' | 'medium' | 'high';
  }
  return parsed;
}

/** Whether a `Set-Cookie` deletes its cookie. */
export function isDeletion(cookie: ParsedSetCookie): boolean {
  return cookie.options.maxAge === 0 || cookie.value === '';
}

/**
 * The cookies the browser sends on its next request, given those it sent on this one and the
 * `Set-Cookie` values of the response.
 */
export function cookiesAfter(sent: ReadonlyMap<string, string>, setCookies: readonly string[]): Map<string, string> {
  const next = new Map(sent);
  for (const header of setCookies) {
    const cookie = parseSetCookie(header);
    if (isDeletion(cookie)) next.delete(cookie.name);
    else next.set(cookie.name, cookie.value);
  }
  return next;
}
