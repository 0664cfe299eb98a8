/** The Lua scripts as files: every script loads, includes are resolved, and nothing unresolved is left. */
import { describe, expect, it } from 'vitest';
import { luaScript, type ScriptName } from '../../src/adapters/redis/lua.js';

const NAMES: ScriptName[] = [
  'broadcast-claim',
  'broadcast-finish',
  'broadcast-unclaim',
  'broadcast-cancel',
  'broadcast-reserve-slot',
  'submission-commit-create',
  'compare-and-set',
  'release-lock',
];

describe('Lua scripts', () => {
  it.each(NAMES)('%s loads with its includes resolved', (name) => {
    const { lua, sha } = luaScript(name);
    expect(lua).toContain('redis.call');
    expect(lua).not.toMatch(/@include/);
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it('puts the shared helper into the scripts that settle recipients', () => {
    for (const name of ['broadcast-claim', 'broadcast-finish', 'broadcast-cancel'] as const) {
      expect(luaScript(name).lua).toContain('local function finishIfComplete');
    }
    expect(luaScript('broadcast-unclaim').lua).not.toContain('finishIfComplete');
  });

  it('reads each file once', () => {
    expect(luaScript('release-lock')).toBe(luaScript('release-lock'));
  });
});
