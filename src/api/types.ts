/** A user as the identity provider returns it (camelCase). */
export interface User {
  object: 'user';
  id: string;
  email: string;
  emailVerified: boolean;
  profilePictureUrl: string | null;
  firstName: string | null;
  lastName: string | null;
  name?: string | null;
  lastSignInAt: string | null;
  locale?: string | null;
  createdAt: string;
  updatedAt: string;
  externalId: string | null;
  metadata: Record<string, string>;
}

/** Who is impersonating the user, when an admin signed in as them. */
export interface Impersonator {
  email: string;
  reason: string | null;
}

/** How the user signed in (`'Password'`, `'SSO'`, `'GoogleOAuth'`, …). */
export type AuthenticationMethod = string;

/** The result of a code or refresh-token exchange. */
export interface AuthenticationResponse {
  user: User;
  organizationId?: string;
  accessToken: string;
  refreshToken: string;
  impersonator?: Impersonator;
  authenticationMethod?: AuthenticationMethod;
}

/** Request metadata forwarded to the provider (used by its risk checks). */
export interface ClientSignals {
  ipAddress?: string;
  userAgent?: string;
}

/** Options of `SessionManager.authenticateWithCode`. */
export interface AuthenticateWithCodeOptions extends ClientSignals {
  code: string;
  /** The PKCE verifier of the sign-in that produced `code`. Required for public clients. */
  codeVerifier?: string;
  invitationToken?: string;
}

/** Options of `SessionManager.authenticateWithRefreshToken`. */
export interface AuthenticateWithRefreshTokenOptions extends ClientSignals {
  refreshToken: string;
  /** Organization to scope the new access token to. */
  organizationId?: string;
}

/** Options of the authorization URL (the sign-in redirect). */
export interface AuthorizationUrlOptions {
  redirectUri: string;
  /** `'authkit'` (default when no connection or organization is given) or an OAuth provider. */
  provider?: string;
  connectionId?: string;
  organizationId?: string;
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256';
  screenHint?: 'sign-in' | 'sign-up';
  loginHint?: string;
  domainHint?: string;
  prompt?: string;
  invitationToken?: string;
}

/** Options of the provider's logout URL. */
export interface LogoutUrlOptions {
  sessionId: string;
  returnTo?: string;
}
