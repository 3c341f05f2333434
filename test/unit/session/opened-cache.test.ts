/**
 * The opened-cookie cache on its own: exact keys, no hit once the clock went back, bounded.
 * What it may never change about `authenticate()` is in test/integration/session/opened-cache.test.ts.
 */
import { describe, expect, test } from 'vitest';
import type { User } from '../../../src/index.js';
import { OpenedSessionCache, type OpenedSession } from '../../../src/session/opened-cache.js';
import { user as testUser } from '../../support/users.js';

const user: User = { ...testUser, metadata: { team: 'red' } };

describe('OpenedSessionCache', () => {
  const opened = { payload: { accessToken: 't', refreshToken: 'r', user }, format: 'iron', passwordId: '1', sealedWithOldPassword: false } as OpenedSession;

  test('exact keys only, and no hit once the clock has gone back', () => {
    const cache = new OpenedSessionCache(10);
    cache.remember('cookie', opened, 1_000);
    expect(cache.get('cookie', 1_000)).toBe(opened);
    expect(cache.get('cookie', 5_000)).toBe(opened);
    expect(cache.get('cookie', 999)).toBeUndefined();
    expect(cache.get('cookiE', 1_000)).toBeUndefined();
    expect(cache.get('cookie ', 1_000)).toBeUndefined();
  });

  test('two cookies that end alike are told apart by their whole string', () => {
    const cache = new OpenedSessionCache(10);
    const tail = 'x'.repeat(200);
    cache.remember(`a${tail}`, opened, 0);
    expect(cache.get(`b${tail}`, 0)).toBeUndefined();
    expect(cache.get(`a${tail}`, 0)).toBe(opened);
    cache.remember(`b${tail}`, opened, 0);
    expect(cache.get(`b${tail}`, 0)).toBe(opened);
    expect(cache.get(`c${tail}`, 0)).toBeUndefined();
  });

  test('bounded, and a cookie still in use outlives idle ones', () => {
    const cache = new OpenedSessionCache(1_000);
    cache.remember('hot', opened, 0);
    for (let index = 0; index < 5_000; index++) {
      cache.remember(`cold-${index}`, opened, 0);
      if (index % 100 === 0) expect(cache.get('hot', 0)).toBe(opened);
      expect(cache.size).toBeLessThanOrEqual(1_001);
    }
    expect(cache.get('hot', 0)).toBe(opened);
    expect(cache.get('cold-0', 0)).toBeUndefined();
    expect(cache.get('cold-4999', 0)).toBe(opened);
  });

  test('size 0 disables it', () => {
    const cache = new OpenedSessionCache(0);
    cache.remember('cookie', opened, 0);
    expect(cache.get('cookie', 0)).toBeUndefined();
  });
});
