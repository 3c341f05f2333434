/**
 * Lua scripts of the Redis refresh store. Each runs atomically on the server, which is what
 * makes "check the outcome, else take the lock" and "store the outcome, then release my lock"
 * safe across instances.
 *
 * Keys of a refresh token, in this order: KEYS[1] outcome, KEYS[2] retry marker, KEYS[3] lock.
 * Stored values start with a kind letter (see `codec.ts`): `s` success, `f` terminal failure,
 * `r` retryable failure, `b` back-off (retryable, with the provider's `Retry-After`), so the
 * scripts can tell them apart without decoding JSON.
 */
import { createHash } from 'node:crypto';

/** A script and its SHA-1, for EVALSHA. */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * ARGV: owner, lockTtlMs, acceptRetryable ('1' | '0').
 * Returns {'outcome', value} | {'outcome', marker, its PTTL} | {'acquired'} | {'locked'}.
 * A back-off marker answers every claim; a plain retry marker only waiters.
 */
export const CLAIM = script(`
local outcome = redis.call('GET', KEYS[1])
if outcome then return {'outcome', outcome} end
local marker = redis.call('GET', KEYS[2])
if marker and (ARGV[3] == '1' or string.sub(marker, 1, 1) == 'b') then
  return {'outcome', marker, redis.call('PTTL', KEYS[2])}
end
if redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('DEL', KEYS[2])
  return {'acquired'}
end
return {'locked'}
`);

/**
 * ARGV: owner, value (kind letter + JSON), ttlMs.
 * A success replaces anything; a terminal failure never replaces a success; a retryable failure
 * only sets the marker, and only while no outcome exists and no one else holds the lock.
 * Then compare-and-delete: the lock goes only if `owner` still holds it.
 */
export const SETTLE = script(`
local kind = string.sub(ARGV[2], 1, 1)
local holder = redis.call('GET', KEYS[3])
if kind == 's' then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  redis.call('DEL', KEYS[2])
elseif kind == 'f' then
  local current = redis.call('GET', KEYS[1])
  if (not current) or string.sub(current, 1, 1) ~= 's' then
    redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  end
elseif redis.call('EXISTS', KEYS[1]) == 0 and ((not holder) or holder == ARGV[1]) then
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
end
if holder == ARGV[1] then redis.call('DEL', KEYS[3]) end
return 1
`);

/**
 * KEYS[1] lock. ARGV: owner, lockTtlMs. Compare-and-extend: 1 when `owner` holds the lock (now
 * extended), 0 otherwise.
 */
export const RENEW = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`);

/** KEYS[1] sign-out marker. ARGV: ttlMs. */
export const END_SESSION = script(`
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
return 1
`);

/** KEYS[1] sign-out marker. Returns 1 while it lives. */
export const SESSION_ENDED = script(`
return redis.call('EXISTS', KEYS[1])
`);
