/**
 * `sealed-session inspect`: open a session cookie and say what is in it, whether it fits, and
 * (with a JWKS) whether its access token verifies.
 */
import { baseUrlFromEnv, defaultIssuers } from '../../session/config.js';
import { readSessionPayload } from '../../session/payload.js';
import { unsealWithDetails } from '../../seal/index.js';
import { commonOptions, parseCommandArgs, passwordOptions } from '../args.js';
import { extractSealed } from '../cookie-input.js';
import { CliUsageError, ExitCode, type ExitStatus } from '../errors.js';
import { readInput, type CliIo } from '../io.js';
import { keyringFrom } from '../passwords.js';
import { colourWanted, createStyle } from '../output/style.js';
import { buildReport, type Failure, type InspectReport } from '../inspect/report.js';
import { renderReport } from '../inspect/render.js';
import { verifyToken, type VerifyTarget } from '../inspect/verify.js';

const DEFAULT_BASE_URL = 'https://api.workos.com';

const options = {
  ...commonOptions,
  ...passwordOptions,
  'cookie-name': { type: 'string' },
  jwks: { type: 'string' },
  'client-id': { type: 'string' },
  'base-url': { type: 'string' },
  issuer: { type: 'string', multiple: true },
  'require-valid': { type: 'boolean' },
  'show-tokens': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof options>>['values'];

/**
 * An http(s) URL without credentials. Refused values are not repeated: a secret pasted in the
 * wrong place must not reach a terminal log.
 */
function httpUrl(source: string, value: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // Reported below as a usage error.
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw new CliUsageError(`${source} must be an http(s) URL`, { command: 'inspect' });
  if (url.username || url.password) throw new CliUsageError(`${source} must not hold credentials`, { command: 'inspect' });
  return url;
}

function baseUrlOf(source: string, value: string): string {
  httpUrl(source, value);
  return value.replace(/\/+$/, '');
}

// WorkOS client ids look like `client_01H…`. Anything else is most likely another value pasted
// here, such as the API key, which would otherwise be sent in the JWKS URL and printed.
const CLIENT_ID = /^client_\w{1,64}$/;

/** `--client-id`, else `WORKOS_CLIENT_ID` as the library reads it; the value is never repeated. */
function clientIdOf(values: Values, env: CliIo['env']): string | undefined {
  const [value, source] = values['client-id'] !== undefined ? [values['client-id'], '--client-id'] : [env.WORKOS_CLIENT_ID || undefined, 'WORKOS_CLIENT_ID'];
  if (value === undefined || CLIENT_ID.test(value)) return value;
  throw new CliUsageError(`${source} must be a client id (client_…)`, { command: 'inspect' });
}

/** The verification to run, or `undefined` when no `--jwks`, `--client-id` or WORKOS_CLIENT_ID asks for one. */
function verifyTarget(values: Values, env: CliIo['env']): VerifyTarget | undefined {
  const clientId = clientIdOf(values, env);
  const jwks = values.jwks === undefined ? undefined : baseUrlOf('--jwks', values.jwks);
  if (jwks === undefined && clientId === undefined) {
    if (values['base-url'] !== undefined || values.issuer !== undefined) {
      throw new CliUsageError('--base-url and --issuer need --client-id (or WORKOS_CLIENT_ID) or --jwks', { command: 'inspect' });
    }
    return undefined;
  }
  const baseUrl = values['base-url'] !== undefined ? baseUrlOf('--base-url', values['base-url']) : baseUrlOf('WORKOS_BASE_URL', baseUrlFromEnv(env) ?? DEFAULT_BASE_URL);
  // Issuers are compared exactly, so they are checked but kept as given.
  for (const issuer of values.issuer ?? []) httpUrl('--issuer', issuer);
  const issuers = values.issuer ?? (clientId === undefined ? undefined : defaultIssuers(baseUrl, clientId));
  return {
    jwksUrl: jwks ?? `${baseUrl}/sso/jwks/${encodeURIComponent(clientId as string)}`,
    issuers,
    audience: clientId,
  };
}

/** The checks that failed; empty when all passed. */
function failures(report: InspectReport, requireValid: boolean): Failure[] {
  const found: Failure[] = [];
  const verification = report.verification;
  if (verification && (verification.result === 'invalid' || verification.result === 'unavailable')) {
    const what =
      verification.signature === 'invalid'
        ? 'signature does not verify'
        : verification.result === 'unavailable'
          ? 'access token could not be verified'
          : 'access token is not valid';
    found.push({ code: verification.code ?? 'jwt_error', message: `${what}: ${verification.message ?? ''}` });
  }
  if (requireValid) {
    const token = report.accessToken;
    if (!report.session || !token) found.push({ code: 'cli_not_a_session', message: 'not a session: no access token' });
    else if (token.error) found.push({ code: token.error, message: 'access token cannot be decoded' });
    else if (token.expired !== false) found.push({ code: 'jwt_expired', message: `access token ${token.expiry ?? 'has no expiry'}` });
  }
  return found;
}

/** Runs `inspect`. */
export async function inspect(argv: readonly string[], io: CliIo): Promise<ExitStatus> {
  const { values, positionals } = parseCommandArgs('inspect', argv, options, 1);
  const target = verifyTarget(values, io.env);
  const keyring = keyringFrom('inspect', values, io);
  const input = extractSealed(await readInput(io, positionals[0], 'inspect', 'cookie'), values['cookie-name']);
  const opened = await unsealWithDetails(input.value, { password: keyring });
  const nowSec = Date.now() / 1000;
  const report = buildReport({ input, opened, nowSec, showTokens: values['show-tokens'] === true });
  if (target && report.session) {
    const claims = report.accessToken?.error ? undefined : report.accessToken?.claims;
    report.verification = await verifyToken(readSessionPayload(opened.data)?.accessToken ?? '', claims, target);
  }
  const failed = failures(report, values['require-valid'] === true);
  report.ok = failed.length === 0;
  report.failures = failed;
  io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, createStyle(colourWanted(io.stdout, io.env))));
  for (const { code, message } of failed) io.stderr.write(`sealed-session inspect: ${message} (${code})\n`);
  return failed.length === 0 ? ExitCode.ok : ExitCode.failure;
}

