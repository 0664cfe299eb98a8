/**
 * The Lua scripts of the Redis adapters, kept as `.lua` files in `lua/` (one script a file, `--- @include "name"`
 * pulls in another file, as BullMQ does). Each is read once and run by its SHA (EVALSHA); the first NOSCRIPT
 * (a new or restarted Redis) sends it whole with EVAL, which caches it there. Not ioredis's defineCommand: defining
 * a command lazily while an auto-pipeline is open breaks that pipeline (ioredis #1931).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const DIR = new URL('./lua/', import.meta.url);
const INCLUDE = /^--- @include "([\w-]+)"$/gm;

function source(name: string, seen: readonly string[] = []): string {
  if (seen.includes(name)) throw new Error(`lua: include cycle ${[...seen, name].join(' → ')}`);
  const text = readFileSync(new URL(`${name}.lua`, DIR), 'utf8');
  return text.replace(INCLUDE, (_m, inner: string) => source(inner, [...seen, name]));
}

export interface LuaScript {
  readonly lua: string;
  /** SHA-1 of the script, its name in Redis's script cache. */
  readonly sha: string;
}

export type ScriptName =
  | 'broadcast-claim'
  | 'broadcast-finish'
  | 'broadcast-unclaim'
  | 'broadcast-cancel'
  | 'broadcast-resend'
  | 'broadcast-reserve-slot'
  | 'submission-commit-create'
  | 'compare-and-set'
  | 'count-in-window'
  | 'release-lock'
  | 'extend-lock'
  | 'update-accept'
  | 'update-admit'
  | 'update-next'
  | 'update-take'
  | 'question-record';

const loaded = new Map<ScriptName, LuaScript>();

/** The script, read from its file the first time it is asked for. */
export function luaScript(name: ScriptName): LuaScript {
  let script = loaded.get(name);
  if (!script) {
    const lua = source(name);
    script = { lua, sha: createHash('sha1').update(lua).digest('hex') };
    loaded.set(name, script);
  }
  return script;
}

/** Runs a script with its keys and arguments. */
export async function runScript(
  redis: Redis,
  name: ScriptName,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  const script = luaScript(name);
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return redis.eval(script.lua, keys.length, ...keys, ...args);
  }
}
