/**
 * Finding the sealed value in what a user pastes: the bare seal, `name=value`, a whole
 * `Cookie:` header, or the chunks `wos-session.0=…; wos-session.1=…` of a large session, each
 * as the browser sent it or URL-encoded (`Fe26.2%2A1%2A…`, as some tools copy it).
 */
import { readChunkedCookie } from '../cookies/chunks.js';
import { parseCookieHeader } from '../cookies/parse.js';
import { DEFAULT_SESSION_COOKIE_NAME } from '../cookies/session-cookie.js';
import { detectFormat } from '../seal/index.js';
import { CliInputError } from './errors.js';

/** The sealed value found in the input. */
export interface SealedInput {
  value: string;
  /** Cookie name it came under; `undefined` for a bare seal. */
  name: string | undefined;
  /** Chunks it was joined from; 0 for a single cookie or a bare seal. */
  chunks: number;
}

const HEADER_PREFIX = /^(?:set-)?cookie:\s*/i;
const CHUNK_SUFFIX = /\.\d{1,2}$/;
/** The session cookie's default name and its hardened variant, read first when present. */
const SESSION_NAMES = [DEFAULT_SESSION_COOKIE_NAME, `__Host-${DEFAULT_SESSION_COOKIE_NAME}`];

/** `value` itself when it is a seal, else its URL-decoding when that is one. */
function asSeal(value: string): string | undefined {
  if (detectFormat(value)) return value;
  if (!value.includes('%')) return undefined;
  try {
    const decoded = decodeURIComponent(value);
    return detectFormat(decoded) ? decoded : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The sealed value in `input`. With `cookieName`, only that cookie (or its chunks) is looked
 * at; otherwise `wos-session` (or `__Host-wos-session`) when the input has it, else the one
 * cookie holding a seal.
 */
export function extractSealed(input: string, cookieName?: string): SealedInput {
  const text = input.trim();
  const bare = asSeal(text);
  if (bare) return { value: bare, name: undefined, chunks: 0 };
  const jar = parseCookieHeader(text.replace(HEADER_PREFIX, ''));
  const bases = new Set([...jar.keys()].map((name) => name.replace(CHUNK_SUFFIX, '')));
  if (cookieName !== undefined) return readNamed(jar, cookieName, 'the name given by --cookie-name');
  const session = SESSION_NAMES.find((name) => bases.has(name));
  if (session !== undefined) return readNamed(jar, session, session);
  const found: SealedInput[] = [];
  for (const base of bases) {
    const read = readChunkedCookie(jar, base);
    const value = read.status === 'ok' ? asSeal(read.value) : undefined;
    if (read.status === 'ok' && value) found.push({ value, name: base, chunks: read.chunks });
  }
  if (found.length === 1) return found[0] as SealedInput;
  if (found.length > 1) {
    throw new CliInputError(
      `Several cookies hold a seal (${found.map((entry) => entry.name).join(', ')}): choose one with --cookie-name`,
      { code: 'cli_no_cookie' },
    );
  }
  throw new CliInputError('No sealed value found: expected an Iron seal (Fe26.2*…) or a Fernet token (gAAAAA…)', { code: 'cli_no_cookie' });
}

/** `described` names the cookie in errors: --cookie-name is not repeated, it may be the cookie itself. */
function readNamed(jar: ReadonlyMap<string, string>, name: string, described: string): SealedInput {
  const read = readChunkedCookie(jar, name);
  if (read.status === 'absent') throw new CliInputError(`No cookie of ${described} in the input`, { code: 'cli_no_cookie' });
  if (read.status === 'invalid') {
    throw new CliInputError(`Chunks of the cookie ${described} are incomplete (${read.reason} at .${read.index})`, { code: 'cli_no_cookie' });
  }
  return { value: asSeal(read.value) ?? read.value, name, chunks: read.chunks };
}
