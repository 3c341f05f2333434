/** `Cookie` headers a client may send that must give a signed-out result or a 4xx, never a 500. */
export const HOSTILE_COOKIE_HEADERS: ReadonlyArray<readonly [name: string, header: string]> = [
  ['malformed', 'wos-session; ;;=;==; %zz=%zz'],
  ['garbage value', 'wos-session=Fe26.2*1*a*!!*b**c*d~2'],
  ['duplicates', 'wos-session=aaa; wos-session=bbb'],
  ['missing chunk', 'wos-session.0=Fe26.2*1*abc; wos-session.2=def'],
  ['bad chunk index', 'wos-session.01=abc'],
  ['non-ASCII bytes', 'wos-session=Fe26.2*\u00fc*\u00ff'],
  ['Fernet-looking', `wos-session=gAAAAA${'A'.repeat(120)}`],
  ['enormous', `wos-session=${'A'.repeat(15_000)}`],
];
