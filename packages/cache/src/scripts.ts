import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * SET the value and add the key to each tag set, atomically.
 * KEYS[1] = data key, KEYS[2..] = tag set keys; ARGV[1] = value, ARGV[2] = ttl seconds (0 = none).
 * A tag set lives at least as long as its longest-lived member: a new set takes the entry's TTL,
 * an existing one is only ever extended, and an entry without TTL makes the set persistent.
 */
export const SET_TAGGED = `
local ttl = tonumber(ARGV[2])
if ttl > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ttl)
else
  redis.call('SET', KEYS[1], ARGV[1])
end
for i = 2, #KEYS do
  local tag = KEYS[i]
  local existed = redis.call('EXISTS', tag) == 1
  redis.call('SADD', tag, KEYS[1])
  if ttl > 0 then
    if not existed then
      redis.call('EXPIRE', tag, ttl)
    else
      local current = redis.call('TTL', tag)
      if current >= 0 and current < ttl then
        redis.call('EXPIRE', tag, ttl)
      end
    end
  else
    redis.call('PERSIST', tag)
  end
end
return 1
`;

/**
 * Delete every member key of the given tag sets and the sets themselves, atomically, so no
 * reader can see a tagged key after the call returns. KEYS = tag set keys.
 * Returns how many data keys existed and were deleted. DEL goes in batches to stay under
 * Lua's unpack() limit on big tags.
 */
export const INVALIDATE_TAGS = `
local seen = {}
local batch = {}
local removed = 0
for i = 1, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  for _, key in ipairs(members) do
    if not seen[key] then
      seen[key] = true
      batch[#batch + 1] = key
      if #batch >= 500 then
        removed = removed + redis.call('DEL', unpack(batch))
        batch = {}
      end
    end
  end
end
if #batch > 0 then
  removed = removed + redis.call('DEL', unpack(batch))
end
redis.call('DEL', unpack(KEYS))
return removed
`;

/**
 * Fixed-window counter. The expiry is set on the first hit; it is also repaired when the key
 * somehow has none, because a counter that never expires would rate-limit forever.
 * KEYS[1] = counter key; ARGV[1] = window seconds.
 */
export const INCR_WINDOW = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('TTL', KEYS[1]) < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return n
`;

/**
 * Reads a key only if every guard holds: guard key i has a value starting with prefix i.
 * KEYS[1..n] = guard keys, KEYS[n+1] = the data key when ARGV[1] is '1';
 * ARGV[1] = '1' to read the data key, '0' not to; ARGV[2..n+1] = the guards' prefixes.
 * Returns 0 when a guard fails, else an array: empty, or the data key's value (nil when missing).
 * One script, so the checks and the read see the same instant: no invalidation falls between them.
 */
export const GET_IF = `
local n = #ARGV - 1
for i = 1, n do
  local v = redis.call('GET', KEYS[i])
  local p = ARGV[i + 1]
  if not v or string.sub(v, 1, #p) ~= p then
    return 0
  end
end
if ARGV[1] == '1' then
  return { redis.call('GET', KEYS[n + 1]) }
end
return {}
`;

export interface Script {
  readonly source: string;
  readonly sha: string;
}

export function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** EVALSHA, falling back to EVAL once when the server has not cached the script (fresh or flushed). */
export async function runScript(client: Redis, s: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
  try {
    return await client.evalsha(s.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
      return await client.eval(s.source, keys.length, ...keys, ...args);
    }
    throw err;
  }
}

/** runScript with bulk replies as Buffers (no UTF-8 decoding). */
export async function runScriptBuffer(
  client: Redis,
  s: Script,
  keys: string[],
  args: (string | number)[],
): Promise<unknown> {
  try {
    return await client.callBuffer('evalsha', s.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
      return await client.callBuffer('eval', s.source, keys.length, ...keys, ...args);
    }
    throw err;
  }
}
