/**
 * `Host` headers a Node server must answer 400 (RFC 9112 §3.2): each could move the request's
 * origin, or fail to parse as one. Sent over a bare socket (see `raw-http.ts`).
 */
export const BAD_HOSTS: readonly string[] = [
  'a b', 'evil.example/', 'evil.example/path', 'evil.example/../x', 'user@evil.example', 'user:pass@evil.example',
  'evil.example:99999', 'evil.example:abc', 'evil.example:', 'evil.example:80:80', ':80', ' ', '[::1', '[zz]', '[::1]x',
  '[::1]:99999', '1.2.3.999', '256.256.256.256', 'evil.example\\x', 'evil.example?x', 'evil.example#x', 'a,b',
  '%65vil.example', '*', '\u00e9vil.example', '\u00ff', 'evil.example;x', '<script>', '"quoted"', `${'x'.repeat(9000)}/`,
];
