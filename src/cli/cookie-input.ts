/**
 * Finding the sealed value in what a user pastes: the bare seal, `name=value`, a whole
 * `Cookie:` header, or the chunks `wos-session.0=…; wos-session.1=…` of a large session.
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

/**
 * The sealed value in `input`. With `cookieName`, only that cookie (or its chunks) is looked at;
 * otherwise the one cookie holding a seal, preferring `wos-session` when several do.
 */
export function extractSealed(input: string, cookieName?: string): SealedInput {
  const text = input.trim();
  if (detectFormat(text)) return { value: text, name: undefined, chunks: 0 };
  const jar = parseCookieHeader(text.replace(HEADER_PREFIX, ''));
  if (cookieName !== undefined) return readNamed(jar, cookieName);
  const bases = new Set([...jar.keys()].map((name) => name.replace(CHUNK_SUFFIX, '')));
  const found: SealedInput[] = [];
  for (const base of bases) {
    const read = readChunkedCookie(jar, base);
    if (read.status === 'ok' && detectFormat(read.value)) found.push({ value: read.value, name: base, chunks: read.chunks });
  }
  const preferred = found.find((entry) => entry.name === DEFAULT_SESSION_COOKIE_NAME);
  if (preferred) return preferred;
  if (found.length === 1) return found[0] as SealedInput;
  if (found.length > 1) {
    throw new CliInputError(
      `Several cookies hold a seal (${found.map((entry) => entry.name).join(', ')}): choose one with --cookie-name`,
      { code: 'cli_no_cookie' },
    );
  }
  throw new CliInputError('No sealed value found: expected an Iron seal (Fe26.2*…) or a Fernet token (gAAAAA…)', { code: 'cli_no_cookie' });
}

function readNamed(jar: ReadonlyMap<string, string>, name: string): SealedInput {
  const read = readChunkedCookie(jar, name);
  // The name is not repeated: it is whatever was passed to --cookie-name, perhaps the cookie itself.
  if (read.status === 'absent') throw new CliInputError('No cookie of the name given by --cookie-name in the input', { code: 'cli_no_cookie' });
  if (read.status === 'invalid') {
    throw new CliInputError(`Chunks of the cookie named by --cookie-name are incomplete (${read.reason} at .${read.index})`, { code: 'cli_no_cookie' });
  }
  return { value: read.value, name, chunks: read.chunks };
}
