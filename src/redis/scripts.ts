/**
 * Lua scripts of the Redis refresh store. Each runs atomically on the server, which is what
 * makes "check the outcome, else take the lock" and "store the outcome, then release my lock"
 * safe across instances.
 *
 * A refresh token has one key, KEYS[1]: a hash whose fields `lock`, `outcome` and `retry` each
 * carry a deadline in `<field>_at` (server time, in ms), the key itself expiring with the last
 * of them. One key rather than one per field because Redis Cluster refuses a script on several
 * keys of a slot being migrated whenever some of them are missing (`TRYAGAIN`), which would
 * fail every refresh of that slot for the migration's duration; one key is served by whichever
 * node holds it (`ASK`). Deadlines are kept per field because hash fields cannot expire on their
 * own before Redis 7.4.
 *
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

/** Helpers every refresh-token script starts with. */
const FIELDS = `
local function clock()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function live(name, now)
  local v = redis.call('HMGET', KEYS[1], name, name .. '_at')
  if v[1] and tonumber(v[2]) > now then return v[1], tonumber(v[2]) end
  return nil
end
local function put(name, value, deadline)
  redis.call('HSET', KEYS[1], name, value, name .. '_at', deadline)
end
local function drop(name)
  redis.call('HDEL', KEYS[1], name, name .. '_at')
end
local function keep(now)
  local last = 0
  for _, name in ipairs({'lock', 'outcome', 'retry'}) do
    local value, deadline = live(name, now)
    if value and deadline > last then last = deadline end
  end
  if last > 0 then redis.call('PEXPIREAT', KEYS[1], last) else redis.call('DEL', KEYS[1]) end
end
local now = clock()
`;

/**
 * ARGV: owner, lockTtlMs, acceptRetryable ('1' | '0').
 * Returns {'outcome', value} | {'outcome', marker, ms it has left} | {'acquired'} | {'locked'}.
 * A back-off marker answers every claim; a plain retry marker only waiters.
 */
export const CLAIM = script(`${FIELDS}
local outcome = live('outcome', now)
if outcome then return {'outcome', outcome} end
local marker, deadline = live('retry', now)
if marker and (ARGV[3] == '1' or string.sub(marker, 1, 1) == 'b') then
  return {'outcome', marker, deadline - now}
end
if live('lock', now) then return {'locked'} end
put('lock', ARGV[1], now + tonumber(ARGV[2]))
drop('retry')
keep(now)
return {'acquired'}
`);

/**
 * ARGV: owner, value (kind letter + JSON), ttlMs.
 * A success replaces anything; a terminal failure never replaces a success; a retryable failure
 * only sets the marker, and only while no outcome exists and no one else holds the lock.
 * Then compare-and-delete: the lock goes only if `owner` still holds it.
 */
export const SETTLE = script(`${FIELDS}
local kind = string.sub(ARGV[2], 1, 1)
local deadline = now + tonumber(ARGV[3])
local holder = live('lock', now)
local current = live('outcome', now)
if kind == 's' then
  put('outcome', ARGV[2], deadline)
  drop('retry')
elseif kind == 'f' then
  if (not current) or string.sub(current, 1, 1) ~= 's' then put('outcome', ARGV[2], deadline) end
elseif (not current) and ((not holder) or holder == ARGV[1]) then
  put('retry', ARGV[2], deadline)
end
if holder == ARGV[1] then drop('lock') end
keep(now)
return 1
`);

/**
 * ARGV: owner, lockTtlMs. Compare-and-extend: 1 when `owner` holds the lock (now extended), 0
 * otherwise.
 */
export const RENEW = script(`${FIELDS}
if live('lock', now) ~= ARGV[1] then return 0 end
put('lock', ARGV[1], now + tonumber(ARGV[2]))
keep(now)
return 1
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
