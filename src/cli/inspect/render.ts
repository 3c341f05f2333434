/**
 * Terminal rendering of an {@link InspectReport}: aligned fields, colour only when wanted.
 */
import { codecFor } from '../../seal/codecs.js';
import { renderSections, type Field, type Section } from '../output/fields.js';
import type { Style } from '../output/style.js';
import type { InspectReport, SizeReport, TokenReport } from './report.js';
import type { Verification } from './verify.js';

function list(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function timeField(value: unknown, iso: string | null): string | undefined {
  if (value === undefined) return undefined;
  return iso ? `${iso} (${String(value)})` : String(value);
}

function sizeLine(size: SizeReport, style: Style): string {
  const bytes = `${size.setCookieBytes} of ${size.budget} bytes`;
  if (size.fits) return `${bytes}, fits in one cookie`;
  if (size.cookiesNeeded === null) return style.red(`${bytes}, too large even for chunking`);
  return style.yellow(`${bytes}, needs ${size.cookiesNeeded} chunks`);
}

function cookieSection(report: InspectReport, style: Style): Section {
  const { cookie } = report;
  const codec = codecFor(cookie.format);
  const name = cookie.name === null ? undefined : cookie.chunksInInput > 0 ? `${cookie.name} (joined from ${cookie.chunksInInput} chunks)` : cookie.name;
  const password = cookie.newestPassword
    ? `id ${cookie.passwordId} (newest)`
    : style.yellow(`id ${cookie.passwordId} (older password: re-seal to finish the rotation)`);
  return {
    title: 'Cookie',
    fields: [
      ['name', name],
      ['format', `${cookie.format} (${codec.writtenBy})`],
      ['password', password],
      ['sealed at', cookie.sealedAt ?? undefined],
      ['seal expiry', codec.writesExpiry ? (cookie.sealExpiresAt ?? 'none') : undefined],
      ['size', sizeLine(report.size, style)],
      ['cookies needed', report.size.cookiesNeeded === null ? 'too many' : String(report.size.cookiesNeeded)],
    ],
  };
}

function sessionSection(report: InspectReport): Section {
  const { session } = report;
  if (!session) {
    return { title: 'Data', fields: [['session', 'not a session payload'], ['keys', list(report.payloadKeys ?? [])]] };
  }
  const user = [session.user.id, session.user.email, session.user.name ? `(${session.user.name})` : ''].filter(Boolean).join(' ');
  const impersonator = session.impersonator
    ? `${session.impersonator.email}${session.impersonator.reason ? ` (${session.impersonator.reason})` : ''}`
    : undefined;
  return {
    title: 'Session',
    fields: [
      ['user', user],
      ['impersonator', impersonator],
      ['sign-in method', session.authenticationMethod ?? undefined],
      ['access token', session.accessToken],
      ['refresh token', session.refreshToken],
    ],
  };
}

function tokenSection(token: TokenReport, style: Style): Section {
  if (token.error) return { title: 'Access token', fields: [['error', style.red(`cannot be decoded (${token.error})`)]] };
  const { claims } = token;
  const fields: Field[] = [
    ['sub', list(claims.sub)],
    ['sid', list(claims.sid)],
    ['org_id', list(claims.org_id)],
    ['role', list(claims.role)],
    ['roles', list(claims.roles)],
    ['permissions', list(claims.permissions)],
    ['entitlements', list(claims.entitlements)],
    ['feature_flags', list(claims.feature_flags)],
    ['iss', list(claims.iss)],
    ['aud', list(claims.aud)],
    ['iat', timeField(claims.iat, token.issuedAt)],
    ['exp', timeField(claims.exp, token.expiresAt)],
    ['expiry', token.expiry === null ? undefined : token.expired ? style.red(token.expiry) : style.green(token.expiry)],
    ['algorithm', list(token.header.alg)],
    ['key id', list(token.header.kid)],
  ];
  return { title: 'Access token', fields };
}

function verificationSection(verification: Verification, style: Style): Section {
  const signature =
    verification.signature === 'valid' ? style.green('valid') : verification.signature === 'invalid' ? style.red('invalid') : style.yellow('not checked');
  const result =
    verification.result === 'valid'
      ? style.green('valid')
      : verification.result === 'expired'
        ? style.yellow('expired (valid otherwise: a refresh would renew it)')
        : style.red(`${verification.result}: ${verification.code ?? ''}${verification.message ? ` (${verification.message})` : ''}`);
  return {
    title: 'Verification',
    fields: [
      ['jwks', verification.jwksUrl],
      ['issuers', verification.issuers ? verification.issuers.join(', ') : 'not checked (pass --client-id or --issuer)'],
      ['audience', verification.audience ?? 'not checked (pass --client-id)'],
      ['signature', signature],
      ['token', result],
    ],
  };
}

function notVerifiedSection(style: Style): Section {
  return { title: 'Verification', fields: [['signature', style.yellow('not checked (pass --client-id or set WORKOS_CLIENT_ID, or pass --jwks)')]] };
}

/** The report as aligned text for a terminal or a log. */
export function renderReport(report: InspectReport, style: Style): string {
  const sections: Section[] = [cookieSection(report, style), sessionSection(report)];
  if (report.accessToken) sections.push(tokenSection(report.accessToken, style));
  if (report.verification) sections.push(verificationSection(report.verification, style));
  else if (report.session) sections.push(notVerifiedSection(style));
  return renderSections(sections, style);
}
