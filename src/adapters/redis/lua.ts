/**
 * The Lua scripts of the Redis adapters, kept as `.lua` files in `lua/` (one script a file, `--- @include "name"`
 * pulls in another file, as BullMQ does). Each is read once at start-up and registered per connection with
 * ioredis's defineCommand, which runs it by its SHA (EVALSHA) and loads it on the first NOSCRIPT.
 */
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
  /** The command name on the connection. */
  readonly command: string;
  readonly lua: string;
}

export type ScriptName =
  | 'broadcast-claim'
  | 'broadcast-finish'
  | 'broadcast-unclaim'
  | 'broadcast-cancel'
  | 'broadcast-reserve-slot'
  | 'submission-commit-create'
  | 'compare-and-set'
  | 'release-lock';

const loaded = new Map<ScriptName, LuaScript>();

/** The script, read from its file the first time it is asked for. */
export function luaScript(name: ScriptName): LuaScript {
  let script = loaded.get(name);
  if (!script) {
    script = { command: `ocop_${name.replace(/-/g, '_')}`, lua: source(name) };
    loaded.set(name, script);
  }
  return script;
}

type ScriptCall = (numberOfKeys: number, ...keysAndArgs: (string | number)[]) => Promise<unknown>;

/** Runs a script with its keys and arguments (defined on the connection the first time). */
export function runScript(
  redis: Redis,
  name: ScriptName,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  const script = luaScript(name);
  const commands = redis as unknown as Record<string, ScriptCall | undefined>;
  if (typeof commands[script.command] !== 'function') redis.defineCommand(script.command, { lua: script.lua });
  return (commands[script.command] as ScriptCall)(keys.length, ...keys, ...args);
}
