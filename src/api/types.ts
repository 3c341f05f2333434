/**
 * A user as the identity provider returns it (camelCase). Sealed into the session cookie and
 * returned on every successful `authenticate()` and `refresh()`.
 */
export interface User {
  /** Always `'user'`. */
  object: 'user';
  /** The provider's user id (`user_…`); the `sub` claim of the user's access tokens. */
  id: string;
  /** Primary email address. */
  email: string;
  /** Whether the user proved they own `email`. */
  emailVerified: boolean;
  /** Avatar URL, when the provider or an OAuth connection has one. */
  profilePictureUrl: string | null;
  /** Given name, when known. */
  firstName: string | null;
  /** Family name, when known. */
  lastName: string | null;
  /** Display name; only present when the provider sent the field. */
  name?: string | null;
  /** When the user last signed in (ISO 8601), or `null` if never. */
  lastSignInAt: string | null;
  /** Preferred locale (BCP 47); only present when the provider sent the field. */
  locale?: string | null;
  /** Creation time (ISO 8601). */
  createdAt: string;
  /** Last update time (ISO 8601). */
  updatedAt: string;
  /** The id of this user in your own system, when you set one at the provider. */
  externalId: string | null;
  /** Your own key/value data attached to the user at the provider. */
  metadata: Record<string, string>;
}

/**
 * Who is impersonating the user, when an admin signed in as them. Show a banner while it is set.
 */
export interface Impersonator {
  /** Email of the admin who is impersonating. */
  email: string;
  /** Why, as the admin typed it; `null` when none was given. */
  reason: string | null;
}

/**
 * How the user signed in (`'Password'`, `'SSO'`, `'GoogleOAuth'`, …). A plain string, because
 * the provider adds methods over time.
 */
export type AuthenticationMethod = string;

/**
 * The result of a code or refresh-token exchange. Pass it to
 * `SessionManager.sealSessionFromAuthResponse` to get the cookie value.
 */
export interface AuthenticationResponse {
  /** The signed-in user. */
  user: User;
  /** The organization the access token is scoped to, when there is one. */
  organizationId?: string;
  /** The new access token (a short-lived JWT). */
  accessToken: string;
  /** The new refresh token. Single use: the one it replaced no longer works. */
  refreshToken: string;
  /** Set when an admin is impersonating the user. */
  impersonator?: Impersonator;
  /** How the user signed in, when the provider said. */
  authenticationMethod?: AuthenticationMethod;
}

/**
 * Request metadata forwarded to the provider (used by its risk checks).
 */
export interface ClientSignals {
  /** The end user's IP address (not your server's). */
  ipAddress?: string;
  /** The end user's `User-Agent` header. */
  userAgent?: string;
}

/**
 * Options of `SessionManager.authenticateWithCode`.
 */
export interface AuthenticateWithCodeOptions extends ClientSignals {
  /** The `code` query parameter the provider sent to the redirect URI. Single use. */
  code: string;
  /** The PKCE verifier of the sign-in that produced `code`. Required for public clients. */
  codeVerifier?: string;
  /** Accepts this invitation as part of the sign-in. */
  invitationToken?: string;
}

/**
 * Options of `SessionManager.authenticateWithRefreshToken`. Most apps call `session.refresh()`
 * instead, which reads the token from the cookie and seals the result.
 */
export interface AuthenticateWithRefreshTokenOptions extends ClientSignals {
  /** The refresh token to spend. After the call it no longer works, whatever the outcome. */
  refreshToken: string;
  /** Organization to scope the new access token to. */
  organizationId?: string;
}

/**
 * Options of the authorization URL (the sign-in redirect).
 */
export interface AuthorizationUrlOptions {
  /** Where the provider sends the browser back with the `code`; must be registered at the provider. */
  redirectUri: string;
  /** `'authkit'` (default when no connection or organization is given) or an OAuth provider. */
  provider?: string;
  /** Sign in through this SSO connection directly. */
  connectionId?: string;
  /** Sign in through this organization's SSO connection. */
  organizationId?: string;
  /** Opaque value the provider returns unchanged to the redirect URI; check it there against CSRF. */
  state?: string;
  /** PKCE challenge: base64url(SHA-256(verifier)). */
  codeChallenge?: string;
  /** PKCE method; only `'S256'` is supported. */
  codeChallengeMethod?: 'S256';
  /** Which AuthKit page opens first. Only used with the `'authkit'` provider. */
  screenHint?: 'sign-in' | 'sign-up';
  /** Pre-fills the email field. */
  loginHint?: string;
  /** The user's email domain, forwarded as `domain_hint` to pick or pre-fill the identity provider. */
  domainHint?: string;
  /** Forwarded as the `prompt` parameter of the authorization request. */
  prompt?: string;
  /** An invitation to accept with this sign-in. */
  invitationToken?: string;
}

/**
 * Options of the provider's logout URL.
 */
export interface LogoutUrlOptions {
  /** The session to end: `sessionId` of an authenticated session (the token's `sid`). */
  sessionId: string;
  /** Where the provider sends the browser afterwards; must be allowed in the provider's settings. */
  returnTo?: string;
}
