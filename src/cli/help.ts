/** Help texts: one per command, and the overview. */

const PASSWORD_HELP = `Passwords (newest first, to rotate):
  WORKOS_COOKIE_PASSWORD    Read when no option below is given: one password, taken whole,
                            as the library reads it.
      --password-file <path>
                            One password per line, newest first (# comments allowed).
  -p, --password <secret>   Repeatable. Discouraged (prints a warning): arguments show up in
                            'ps' and in shell history.
  The cookie itself is a credential too: prefer stdin to an argument.`;

/** Help of every command, by name. */
export const commandHelp = {
  keygen: `Usage: sealed-session keygen [--format iron|fernet] [--env]

Prints a new random cookie password: 32 random bytes in base64url.

Options:
  -f, --format <iron|fernet>  iron (default): 43 characters, what @workos-inc/node expects.
                              fernet: 44 characters with padding, like Python's
                              Fernet.generate_key(), for workos-python. Either key works
                              for both formats with this library.
      --fernet                Same as --format fernet.
      --env                   Print as WORKOS_COOKIE_PASSWORD=<key>.
  -h, --help                  Show this help.

Examples:
  sealed-session keygen
  sealed-session keygen --env >> .env
  sealed-session keygen --format fernet
`,
  seal: `Usage: sealed-session seal [json] [options]

Seals JSON (from the argument, or stdin when absent or '-') and prints the sealed string.

Options:
  -f, --format <iron|fernet>  iron (default, Fe26.2 like @workos-inc/node) or fernet
                              (workos-python; needs a Fernet key as password).
      --ttl <duration>        Iron only: expiry written into the seal (3600, 90s, 30m, 12h, 7d).
  -h, --help                  Show this help.

${PASSWORD_HELP}

Examples:
  echo '{"userId":"user_123"}' | sealed-session seal
  echo '{"userId":"user_123"}' | sealed-session seal --format fernet --password-file keys.txt
  sealed-session seal --ttl 1h < session.json > cookie.txt
`,
  unseal: `Usage: sealed-session unseal [cookie] [options]

Opens a sealed cookie (from the argument, or stdin when absent or '-') and prints its JSON,
secrets included. The cookie may be the bare value, name=value, or a Cookie header.

Options:
      --ttl <duration>        Refuse seals older (Fernet) or longer-lived (Iron) than this.
      --compact               One line of JSON instead of indented.
  -h, --help                  Show this help.

${PASSWORD_HELP}

Examples:
  sealed-session unseal < cookie.txt
  sealed-session unseal --password-file keys.txt < cookie.txt | jq .user
`,
  inspect: `Usage: sealed-session inspect [cookie] [options]

Explains a session cookie: format, which password opened it, size against the 4096-byte
budget and chunks needed, the user, the access token's claims and expiry, and optionally
whether the token verifies. Secrets are masked (first 4 characters).

The cookie comes from the argument, or stdin when absent or '-': the bare value,
'wos-session=…', a whole 'Cookie: …' header, or chunks 'wos-session.0=…; wos-session.1=…',
as sent or URL-encoded. Without verification the signature is reported as not checked.

Options:
      --cookie-name <name>    Which cookie to read from a header (default: wos-session, else
                              the one cookie holding a seal).
      --client-id <id>        Verify the access token (default WORKOS_CLIENT_ID): keys from
                              <base-url>/sso/jwks/<id>, issuers WorkOS uses for this base URL
                              and client, audience <id>.
      --base-url <url>        API base URL (default WORKOS_BASE_URL, or WORKOS_API_HOSTNAME as
                              the library reads it, or https://api.workos.com).
      --jwks <url>            Verify against this JWKS URL instead.
      --issuer <iss>          Accepted issuer (repeatable), instead of the defaults.
      --require-valid         Also fail (exit 1) when the access token has expired.
      --show-tokens           Print the access token in full (the refresh token never is).
      --json                  Print the report as JSON (stable keys) for scripts.
  -h, --help                  Show this help.

${PASSWORD_HELP}

Exit status: 0 ok; 1 bad cookie, wrong password, token that does not verify, or expired
with --require-valid; 2 usage error.

Examples:
  sealed-session inspect < cookie.txt
  pbpaste | sealed-session inspect --client-id client_123
  pbpaste | sealed-session inspect --password-file keys.txt --json | jq .size
  sealed-session inspect --base-url http://localhost:4000 --client-id client_123 --require-valid < cookie.txt
`,
} as const;

/** Names of the commands. */
export type CommandName = keyof typeof commandHelp;

/** The overview printed by `sealed-session --help`. */
export const mainHelp = `Usage: sealed-session <command> [options]

Sealed session cookies for WorkOS AuthKit: generate passwords, seal, unseal and inspect.

Commands:
  keygen    Generate a cookie password or Fernet key
  seal      Seal JSON into a cookie value
  unseal    Open a cookie value and print its JSON
  inspect   Explain a session cookie and check its access token

Options:
  -h, --help      Show help (also: sealed-session <command> --help)
  -v, --version   Show the version

Exit status: 0 ok, 1 bad input or failed check, 2 usage error.

Passwords come from WORKOS_COOKIE_PASSWORD or --password-file (see 'sealed-session seal --help').

Examples:
  sealed-session keygen --env >> .env
  echo '{"a":1}' | sealed-session seal | sealed-session unseal
  pbpaste | sealed-session inspect --client-id client_123
`;
