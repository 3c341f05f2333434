/**
 * The user of the tests that sign their own tokens (`sub: 'user_1'`), as the library hands it
 * out and as the provider sends it.
 */
import type { User } from '../../src/index.js';

export const user: User = {
  object: 'user', id: 'user_1', email: 'alice@acme.test', emailVerified: true, profilePictureUrl: null,
  firstName: 'Alice', lastName: null, lastSignInAt: null, createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z', externalId: null, metadata: {},
};

/** {@link user} as the provider's JSON has it: snake_case. */
export const wireUser = {
  object: 'user', id: 'user_1', email: 'alice@acme.test', email_verified: true, profile_picture_url: null,
  first_name: 'Alice', last_name: null, last_sign_in_at: null, created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z', external_id: null, metadata: {},
};
