// The demo's pages, rendered on the server. Styles and the one script are static files, so the
// Content-Security-Policy can forbid inline code altogether.
import { html } from './html.js';

const PRODUCT = 'Acme Workspace';

const LOGO = html`<svg class="logo" viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="8" fill="currentColor"/><path d="M9 22 16 9l7 13h-4.2L16 16.6 13.2 22z" fill="#fff"/></svg>`;

/** @param {{ firstName: string | null, lastName: string | null, email: string }} user */
export function displayName(user) {
  return [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email;
}

/** @param {{ firstName: string | null, lastName: string | null, email: string }} user */
function initials(user) {
  const fromName = [user.firstName, user.lastName].filter(Boolean).map((part) => String(part)[0]).join('');
  return (fromName || user.email.slice(0, 2)).toUpperCase();
}

/** @param {{ firstName: string | null, lastName: string | null, email: string }} user @param {string} [size] */
function avatar(user, size = '') {
  return html`<span class="avatar ${size}" aria-hidden="true">${initials(user)}</span>`;
}

/** @param {string} slug */
function titleCase(slug) {
  return slug.replace(/[-_]/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
}

/**
 * @param {{ title: string, body: unknown, user?: { firstName: string | null, lastName: string | null, email: string },
 *   provider: string, narrow?: boolean }} page
 */
export function layout(page) {
  const account = page.user
    ? html`<div class="account">
        ${avatar(page.user, 'sm')}<span class="account-name">${displayName(page.user)}</span>
        <form method="post" action="/auth/sign-out"><button class="button ghost" type="submit" data-testid="sign-out">Sign out</button></form>
      </div>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · ${PRODUCT}</title>
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body>
<header class="topbar"><div class="topbar-inner">
  <a class="brand" href="/">${LOGO}<span>${PRODUCT}</span></a>
  ${account}
</div></header>
<main class="${page.narrow ? 'narrow' : 'wide'}">${page.body}</main>
<footer class="footer">Sessions sealed by <code>sealed-session</code> · Identity provider: WorkOS emulator at <code>${page.provider}</code></footer>
</body>
</html>`;
}

/**
 * @param {{ users: Array<{ email: string, firstName: string | null, lastName: string | null }>, provider: string,
 *   returnTo: string, error?: string }} data
 */
export function signInPage(data) {
  const accounts = data.users.map(
    (user) => html`<li><a class="account-option" data-testid="account-option"
        href="/auth/sign-in?loginHint=${encodeURIComponent(user.email)}&amp;returnTo=${encodeURIComponent(data.returnTo)}">
      ${avatar(user)}<span class="who"><strong>${displayName(user)}</strong><span class="muted">${user.email}</span></span>
      <span class="chevron" aria-hidden="true">›</span></a></li>`,
  );
  const body = html`<section class="card signin">
    <h1>Sign in to ${PRODUCT}</h1>
    <p class="muted">Choose an account. The WorkOS emulator signs the person in without a password, then sends
      the browser back here with a one-time code.</p>
    ${data.error ? html`<p class="alert">${data.error}</p>` : ''}
    <ul class="account-list">${accounts}</ul>
  </section>`;
  return layout({ title: 'Sign in', body, provider: data.provider, narrow: true });
}

/** @param {{ provider: string }} data */
export function signedOutPage(data) {
  const body = html`<section class="card signin" data-testid="signed-out">
    <div class="done" aria-hidden="true">✓</div>
    <h1>You are signed out</h1>
    <p class="muted">The session cookie was deleted from this browser and the session was ended at the
      identity provider.</p>
    <a class="button primary" href="/sign-in">Sign in again</a>
  </section>`;
  return layout({ title: 'Signed out', body, provider: data.provider, narrow: true });
}

/** @param {string | null} notice @param {string | undefined} organization */
function noticeText(notice, organization) {
  if (notice === 'refreshed') return 'Session refreshed: a new access token, a new single-use refresh token, a new cookie.';
  if (notice === 'switched') return `Switched to ${organization ?? 'the organization'}. The new access token carries your role and permissions there.`;
  return null;
}

/**
 * @typedef {{ name: string, format: string, cipher: string, valueBytes: number, largestHeaderBytes: number, budget: number,
 *   chunks: number, maxChunks: number, attributes: string }} CookieStats
 * @typedef {{ id: string, name: string, role: string }} Membership
 */

/**
 * @param {{
 *   session: import('sealed-session').SessionInfo,
 *   organizations: Membership[] | undefined,
 *   cookie: CookieStats,
 *   now: number,
 *   tokenLifetimeSec?: number,
 *   notice: string | null,
 *   provider: string,
 * }} data
 */
export function profilePage(data) {
  const { session, cookie } = data;
  const { user } = session;
  const organizations = data.organizations ?? [];
  const current = organizations.find((org) => org.id === session.organizationId);
  const remaining = Math.max(0, Math.round((session.expiresAt.getTime() - data.now) / 1000));
  const lifetime = Math.max(1, data.tokenLifetimeSec ?? session.claims.exp - session.claims.iat);
  const notice = noticeText(data.notice, current?.name);
  const budgetUse = Math.min(100, Math.round((cookie.largestHeaderBytes / cookie.budget) * 100));

  const permissions = session.permissions?.length
    ? html`<ul class="chips" data-testid="permissions">${session.permissions.map((p) => html`<li><code>${p}</code></li>`)}</ul>`
    : html`<p class="muted" data-testid="permissions">${session.organizationId ? 'No permissions in this organization.' : 'Choose an organization to get a role and permissions.'}</p>`;

  const switcher = organizations.length
    ? html`<form class="switcher" method="post" action="/auth/switch-organization">
        <input type="hidden" name="returnTo" value="/?notice=switched">
        <label for="organizationId" class="label">Switch organization</label>
        <div class="row">
          <select id="organizationId" name="organizationId" data-testid="organization-select" required>
            ${current ? '' : html`<option value="" disabled selected>Choose an organization…</option>`}
            ${organizations.map((org) => html`<option value="${org.id}" ${org.id === session.organizationId ? html`selected` : ''}>${org.name} · ${titleCase(org.role)}</option>`)}
          </select>
          <button class="button" type="submit" data-testid="switch-organization">Switch</button>
        </div>
      </form>`
    : html`<p class="muted">${data.organizations ? 'This account belongs to no organization.' : 'The organization list is unavailable right now.'}</p>`;

  const body = html`
  ${notice ? html`<div class="notice" role="status" data-testid="notice">${notice}</div>` : ''}
  <section class="hero">
    ${avatar(user, 'lg')}
    <div>
      <h1 data-testid="user-name">${displayName(user)}</h1>
      <p class="muted"><span data-testid="user-email">${user.email}</span>${user.emailVerified ? html` <span class="badge ok">Verified</span>` : ''}</p>
    </div>
  </section>

  <div class="grid">
    <section class="card">
      <h2>Organization</h2>
      <div class="org">
        <span class="org-mark" aria-hidden="true">${current ? current.name.slice(0, 1) : '—'}</span>
        <div>
          <div class="org-name" data-testid="organization-name">${current ? current.name : session.organizationId ?? 'No organization selected'}</div>
          <div class="muted">Role: <span class="badge" data-testid="role">${session.role ? titleCase(session.role) : 'None'}</span></div>
        </div>
      </div>
      <h3>Permissions</h3>
      ${permissions}
      ${switcher}
    </section>

    <section class="card">
      <h2>Session</h2>
      <div class="countdown" data-testid="expiry" data-expires-in="${remaining}" data-lifetime="${lifetime}"
          data-session-id="${session.sessionId}" data-expires-at="${session.expiresAt.toISOString()}">
        <div class="countdown-label"><span>Access token expires in</span><strong data-countdown>${formatDuration(remaining)}</strong></div>
        <div class="meter"><span data-meter data-fill="${Math.round((remaining / lifetime) * 100)}"></span></div>
        <div class="muted small">at <time datetime="${session.expiresAt.toISOString()}">${session.expiresAt.toISOString().replace('T', ' ').slice(0, 19)} UTC</time>
          · refreshed automatically ${lifetime < 120 ? 'half-way through' : 'a minute before'}</div>
      </div>
      <dl class="facts">
        <dt>Session ID</dt><dd><code data-testid="session-id">${session.sessionId}</code></dd>
        <dt>User ID</dt><dd><code data-testid="user-id">${user.id}</code></dd>
        <dt>Signed in with</dt><dd>${session.authenticationMethod ?? 'Unknown'}</dd>
        ${session.impersonator ? html`<dt>Impersonated by</dt><dd>${session.impersonator.email}</dd>` : ''}
      </dl>
      <form method="post" action="/auth/refresh">
        <input type="hidden" name="returnTo" value="/?notice=refreshed">
        <button class="button primary" type="submit" data-testid="refresh">Refresh now</button>
      </form>
    </section>

    <section class="card">
      <h2>Cookie</h2>
      <dl class="facts">
        <dt>Name</dt><dd><code>${cookie.name}</code></dd>
        <dt>Format</dt><dd><span class="badge" data-testid="cookie-format">${cookie.format}</span></dd>
        <dt>Sealed value</dt><dd data-testid="cookie-size">${cookie.valueBytes.toLocaleString('en-US')} bytes</dd>
        <dt>Stored as</dt><dd data-testid="cookie-chunks">${cookie.chunks === 0 ? 'One cookie (not chunked)' : `${cookie.chunks} chunks of at most ${cookie.maxChunks}`}</dd>
        <dt>Attributes</dt><dd><code class="wrap">${cookie.attributes}</code></dd>
      </dl>
      <div class="budget">
        <div class="countdown-label"><span>Browser limit</span>
          <strong>${cookie.largestHeaderBytes.toLocaleString('en-US')} / ${cookie.budget.toLocaleString('en-US')} B</strong></div>
        <div class="meter ${budgetUse > 85 ? 'warn' : ''}"><span data-fill="${budgetUse}"></span></div>
        <p class="muted small">Encrypted with ${cookie.cipher}; page scripts cannot read it (<code>HttpOnly</code>).</p>
      </div>
    </section>
  </div>`;
  return layout({ title: displayName(user), body, user, provider: data.provider });
}

/** @param {number} seconds */
export function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
