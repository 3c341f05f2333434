/**
 * The provider faked at the `fetch` edge for a test file of `session/`, on a test clock.
 */
import { beforeAll, beforeEach } from 'vitest';
import { SessionManager, type SessionManagerOptions } from '../../../src/index.js';
import { createFakeProvider, type FakeProvider } from '../../support/fake-provider.js';

/** Where the test clock stands at the start of each test, in milliseconds. */
export const T0 = 1_900_000_000_000;
export const PASSWORD = 'k7Qv2pX9sLm4Tz8wR1cN6bY3hJ5dF0gA';

/**
 * The fake provider for a test file, created before its tests; before each test the clock it
 * shares with {@link manager}'s managers is back at {@link T0} and its JWKS is up.
 */
export function fakeProviderForFile() {
  const fake = {
    clock: T0,
    provider: undefined as unknown as FakeProvider,
    /** A manager pointed at the fake provider, sealing with {@link PASSWORD}, on the test clock. */
    manager: (options: Partial<SessionManagerOptions> = {}) =>
      new SessionManager({ ...fake.provider.managerOptions, cookiePassword: PASSWORD, ...options }),
  };
  beforeAll(async () => {
    fake.provider = await createFakeProvider({ now: () => fake.clock });
  });
  beforeEach(() => {
    fake.clock = T0;
    fake.provider.jwksDown = false;
  });
  return fake;
}
