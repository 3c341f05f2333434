/**
 * Return paths an attacker may put in a sign-in link or a form: each one is, or once a browser
 * has parsed it could become, a trip to another origin. Generated from the pieces that browsers
 * normalize (dot segments and their encodings, backslashes, stripped tabs and newlines,
 * scheme-relative and scheme-only forms), so the list covers the class, not one example.
 */
const HOST = 'evil.example';

/** What precedes the second slash: the ways a path can collapse back to its first `/`. */
const LEADS = [
  '/', '/.', '/./', '/..', '/../', '/%2e', '/%2E', '/%2e%2e', '/%2E%2e', '/.%2e', '/%2e.', '/a/..', '/a/%2e%2e', '/a/./..',
  '/a/b/../..', '/./.', '/%2e/%2e', '/.\\', '/..\\', '/%2e\\', '/a\\..',
];
/** The character(s) a browser reads as the start of an authority once joined to a lead. */
const SEPARATORS = ['/', '\\', '//', '/\\', '\\/', '\\\\', '\t/', '/\t', '\n/', '/\r\n', '\r/', '\t\\', '/\t/', '/\n/'];
/** How the other host may be spelled. */
const HOSTS = [HOST, `${HOST}:443`, `user@${HOST}`, `user:pass@${HOST}`, `${HOST}.`, 'EVIL.example', '%65vil.example', '0x7f.1', '[::1]'];

/** Scheme-relative, absolute, and scheme-only forms, written by hand. */
const HANDWRITTEN = [
  `//${HOST}`, `///${HOST}`, `////${HOST}`, `/\\${HOST}`, `\\\\${HOST}`, `\\/${HOST}`, `/\t/${HOST}`, `/\n/${HOST}`,
  `https://${HOST}`, `https:${HOST}`, `https:/${HOST}`, `https:\\\\${HOST}`, `HTTPS://${HOST}`, `http://${HOST}`,
  `ftp://${HOST}`, `javascript:alert(1)`, `JaVaScRiPt:alert(1)`, `data:text/html,<script>alert(1)</script>`,
  ` //${HOST}`, `\t//${HOST}`, `\u0000//${HOST}`, `\u001f//${HOST}`, `\u00a0//${HOST}`, `%2F%2F${HOST}`, `%2f%2f${HOST}`,
  `%5C%5C${HOST}`, `/%2F${HOST}`, `/%5C${HOST}`, `/%09/${HOST}`, `/%0a/${HOST}`, `\uff0f\uff0f${HOST}`, `/\uff0f${HOST}`,
  `/.//${HOST}/`, `/..//${HOST}/`, `/%2e//${HOST}/`, `/%2e%2e//${HOST}/`, `/./\\${HOST}`, `/x/../\\${HOST}`,
  `/${'a/'.repeat(1500)}`, `/${'x'.repeat(3000)}`, `/${'\u00e9'.repeat(1000)}`,
];

export const HOSTILE_RETURN_TO: readonly string[] = [
  ...new Set([
    ...HANDWRITTEN,
    ...LEADS.flatMap((lead) => SEPARATORS.flatMap((separator) => HOSTS.map((host) => `${lead}${separator}${host}/path?q=1#h`))),
  ]),
];

/** Local paths that must come back as the same path (normalized the way a browser would). */
export const LOCAL_RETURN_TO: ReadonlyArray<readonly [input: string, expected: string]> = [
  ['/', '/'],
  ['/dashboard', '/dashboard'],
  ['/billing?tab=invoices', '/billing?tab=invoices'],
  ['/a/b/../c', '/a/c'],
  ['/a/./b', '/a/b'],
  ['/a/%2e%2e/b', '/b'],
  ['/%2f%2fevil.example', '/%2f%2fevil.example'],
  ['/search?q=//evil.example', '/search?q=//evil.example'],
  ['/page#//evil.example', '/page#//evil.example'],
  ['/caf\u00e9', '/caf%C3%A9'],
  ['/a b', '/a%20b'],
];
