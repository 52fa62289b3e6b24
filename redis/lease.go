package redis

import goredis "github.com/redis/go-redis/v9"

// The lease scripts. A shard's lease is one string key holding the leader's random
// token with a TTL (PX). Acquiring is SET NX PX; everything that touches a lease after
// that compares the token first, inside the same script, so a replica whose lease
// expired (and was perhaps taken by another) can neither extend, release nor write
// under it.

// renewScript extends the lease if this replica still holds it, or takes it again if
// nobody does (Redis lost its data in a restart). KEYS: lease, status hash. ARGV: token,
// TTL ms. Returns {1, statuses exist} when this replica leads, {0, 0} otherwise.
var renewScript = goredis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
elseif not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  return {0, 0}
end
return {1, redis.call('EXISTS', KEYS[2])}
`)

// releaseScript deletes the lease only if this replica holds it. KEYS: lease. ARGV: token.
var releaseScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// writeStatusScript stores one connection's status, fenced by the lease: a replica that
// no longer holds the shard's lease writes nothing. The status is only replaced (and
// published) when it differs from the stored one, so a new leader re-checking the
// shard does not announce what every replica already knows.
// KEYS: lease, status hash. ARGV: token, connection key, status name, value JSON,
// channel. Returns -1 fenced off, 0 unchanged, 1 changed.
var writeStatusScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local old = redis.call('HGET', KEYS[2], ARGV[2])
local prev = 'Unknown'
if old then prev = cjson.decode(old).status end
if old and prev == ARGV[3] then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
redis.call('PUBLISH', ARGV[5], prev .. '\n' .. ARGV[4])
return 1
`)

// deleteStatusScript forgets a connection's status, fenced like writeStatusScript.
// KEYS: lease, status hash. ARGV: token, connection key.
var deleteStatusScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
return redis.call('HDEL', KEYS[2], ARGV[2])
`)

// heartbeatScript records that a replica is alive, on Redis' clock, and counts the
// replicas seen within the lease TTL. KEYS: replicas sorted set. ARGV: name, TTL ms.
// Returns {alive replicas, Redis time ms}.
var heartbeatScript = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {redis.call('ZCARD', KEYS[1]), now}
`)
