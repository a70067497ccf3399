// Presence shared by all gateway nodes (DESIGN.md §7). Two keys:
//   {presence}:entries  hash   pileId → JSON {nodeId, connectionId, connectedAt}
//   {presence}:seen     zset   pileId scored by lastSeenAt
// lastSeenAt lives only in the sorted set, so touch() is a single ZADD GT and the offline sweep
// is a range query. Every check-then-write runs as one Lua script, so "only if this connection
// still holds the pile" cannot race with a reconnect on another node. The `{presence}` hash tag
// keeps both keys in one Redis Cluster slot, which the scripts need. Needs Redis ≥ 6.2 (ZADD GT).
import type { Redis } from 'ioredis';
import type { Presence, PresenceEntry } from '../app/ports.js';

// Returns {json, lastSeenAt} of the replaced entry, or nil.
const CONNECT = `
local previous = redis.call('HGET', KEYS[1], ARGV[1])
local seen = redis.call('ZSCORE', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
if previous and seen then return {previous, seen} end
return nil`;

const TOUCH = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw or cjson.decode(raw).connectionId ~= ARGV[2] then return 0 end
redis.call('ZADD', KEYS[2], 'GT', ARGV[3], ARGV[1])
return 1`;

const DISCONNECT = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw or cjson.decode(raw).connectionId ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`;

const GET = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local seen = redis.call('ZSCORE', KEYS[2], ARGV[1])
if raw and seen then return {raw, seen} end
return nil`;

// Flat {pileId, lastSeenAt, json, ...} for every entry with lastSeenAt ≤ ARGV[1] (a ZRANGEBYSCORE
// bound: '+inf' for all, '(cutoff' for strictly before). O(piles) inside Redis; fine for the
// thousands of piles a cluster holds, revisit with a cursor past that.
const RANGE = `
local seen = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'WITHSCORES')
local out = {}
for i = 1, #seen, 2 do
  local raw = redis.call('HGET', KEYS[1], seen[i])
  if raw then
    out[#out + 1] = seen[i]
    out[#out + 1] = seen[i + 1]
    out[#out + 1] = raw
  end
end
return out`;

type Script = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

// ioredis types custom commands only through global module augmentation; the one cast lives here.
// defineCommand sends EVALSHA and falls back to EVAL once when Redis lacks the script.
function defineScript(redis: Redis, name: string, lua: string): Script {
  redis.defineCommand(name, { numberOfKeys: 2, lua });
  const commands = redis as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>;
  return (keys, args) => commands[name]!(...keys, ...args);
}

interface StoredEntry {
  readonly nodeId: string;
  readonly connectionId: string;
  readonly connectedAt: number;
}

function toEntry(pileId: string, json: string, lastSeenAt: string): PresenceEntry {
  const stored = JSON.parse(json) as StoredEntry;
  return {
    pileId,
    nodeId: stored.nodeId,
    connectionId: stored.connectionId,
    connectedAt: stored.connectedAt,
    lastSeenAt: Number(lastSeenAt),
  };
}

function toPair(reply: unknown, pileId: string): PresenceEntry | undefined {
  if (reply === null) return undefined;
  const [json, lastSeenAt] = reply as [string, string];
  return toEntry(pileId, json, lastSeenAt);
}

function toEntries(reply: unknown): PresenceEntry[] {
  const flat = reply as string[];
  const entries: PresenceEntry[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) entries.push(toEntry(flat[i]!, flat[i + 2]!, flat[i + 1]!));
  return entries;
}

export function createRedisPresence(redis: Redis, options: { readonly keyPrefix?: string } = {}): Presence {
  const prefix = options.keyPrefix ?? 'pilegate:';
  const keys = [`${prefix}{presence}:entries`, `${prefix}{presence}:seen`] as const;
  // Script names are per client; the same name with the same body is safe to define twice.
  const connect = defineScript(redis, 'pilegatePresenceConnect', CONNECT);
  const touch = defineScript(redis, 'pilegatePresenceTouch', TOUCH);
  const disconnect = defineScript(redis, 'pilegatePresenceDisconnect', DISCONNECT);
  const get = defineScript(redis, 'pilegatePresenceGet', GET);
  const range = defineScript(redis, 'pilegatePresenceRange', RANGE);

  return {
    async connect(entry) {
      const stored: StoredEntry = {
        nodeId: entry.nodeId,
        connectionId: entry.connectionId,
        connectedAt: entry.connectedAt,
      };
      const reply = await connect(keys, [entry.pileId, JSON.stringify(stored), entry.lastSeenAt]);
      return toPair(reply, entry.pileId);
    },
    async touch(pileId, connectionId, atMs) {
      return (await touch(keys, [pileId, connectionId, atMs])) === 1;
    },
    async disconnect(pileId, connectionId) {
      return (await disconnect(keys, [pileId, connectionId])) === 1;
    },
    async get(pileId) {
      return toPair(await get(keys, [pileId]), pileId);
    },
    async list() {
      return toEntries(await range(keys, ['+inf']));
    },
    async listSilentSince(cutoffMs) {
      return toEntries(await range(keys, [`(${cutoffMs}`]));
    },
  };
}
