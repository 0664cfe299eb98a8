/**
 * The inbox and its update journal, against memory and against a real Redis (two inboxes on one prefix stand
 * for two processes): an update is answered once, a failed send is retried by us and replays the recorded
 * answer, one user's updates stay in order behind a failure, a poison update is parked without blocking the
 * user's next message, and a web message is answered within its request.
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemorySubscriberStore } from '../../src/adapters/memory/memory-subscriber-store.js';
import { MemoryUpdateGuard } from '../../src/adapters/memory/memory-update-guard.js';
import { MemoryUpdateJournal } from '../../src/adapters/memory/memory-update-journal.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisUpdateGuard } from '../../src/adapters/redis/redis-update-guard.js';
import { RedisUpdateJournal } from '../../src/adapters/redis/redis-update-journal.js';
import { createInbox, type Inbox, type InboundUpdate } from '../../src/channels/inbox.js';
import type { Reply } from '../../src/core/conversation.js';
import type { Engine } from '../../src/core/engine.js';
import { silentLogger } from '../../src/core/logger.js';
import type { UpdateGuard } from '../../src/core/update-guard.js';
import type { UpdateJournal } from '../../src/core/update-journal.js';
import { assistant, dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/app.js';

const flood = { maxMessages: 100, windowSeconds: 30 };
const clients: Redis[] = [];
const prefixes: string[] = [];

afterAll(async () => {
  for (const c of clients) c.disconnect();
  for (const p of prefixes) await dropPrefix(p);
});

type Parts = { guard: UpdateGuard; journal: UpdateJournal };
const backends: [string, () => Parts[]][] = [
  [
    'memory',
    () => {
      const parts = { guard: new MemoryUpdateGuard(flood), journal: new MemoryUpdateJournal() };
      return [parts, parts];
    },
  ],
  [
    'redis',
    () => {
      const prefix = uniquePrefix('inbox');
      prefixes.push(prefix);
      const keys = createKeys(prefix);
      return [0, 1].map(() => {
        const redis = new Redis(TEST_REDIS_URL);
        clients.push(redis);
        return { guard: new RedisUpdateGuard(redis, keys, flood), journal: new RedisUpdateJournal(redis, keys) };
      });
    },
  ],
];

/** An engine that answers "echo: <text>" and counts how often it ran per text. */
function echoEngine() {
  const runs = new Map<string, number>();
  const engine: Engine = {
    async handle(message) {
      runs.set(message.text ?? '', (runs.get(message.text ?? '') ?? 0) + 1);
      return [{ text: `echo: ${message.text}` }];
    },
  };
  return { engine, runs };
}

/** A channel whose sends fail while `failing` is set (for everyone, or for the users in `failingFor`). */
function channel() {
  const delivered: string[] = [];
  const state = { failing: false, failingFor: new Set<string>() };
  const sendTo = (userId: string) => async (replies: Reply[]) => {
    if (state.failing || state.failingFor.has(userId)) throw new Error('send failed (test)');
    delivered.push(...replies.map((r) => r.text));
  };
  return { delivered, state, send: sendTo('anyone'), sendTo };
}

function update(userId: string, n: number, text: string): InboundUpdate {
  return { message: { channel: 'telegram', userId, kind: 'text', text }, dedupKey: `tg:1:${userId}:${n}` };
}

describe.each(backends)('inbox (%s)', (_name, make) => {
  function setup(maxAttempts = 3) {
    const clock = { now: 1_000_000 };
    const { engine, runs } = echoEngine();
    const out = channel();
    const inboxes: Inbox[] = make().map(({ guard, journal }) => {
      const inbox = createInbox({
        engine,
        guard,
        journal,
        subscribers: new MemorySubscriberStore(),
        messages: assistant().messages,
        flood,
        logger: silentLogger,
        retry: { maxAttempts, delayMs: (n) => 1000 * n },
        now: () => clock.now,
      });
      inbox.attach('telegram', (to, replies) => out.sendTo(to.userId)(replies));
      return inbox;
    });
    return { clock, runs, out, inboxes };
  }

  it('answers an update once, however often and wherever it is delivered again', async () => {
    const { runs, out, inboxes } = setup();
    const [a, b] = inboxes as [Inbox, Inbox];
    expect(await a.receive(update('u1', 1, 'một'), out.send)).toBe('handled');
    expect(await b.receive(update('u1', 1, 'một'), out.send)).toBe('duplicate');
    expect(await a.receive(update('u1', 1, 'một'), out.send)).toBe('duplicate');
    expect(out.delivered).toEqual(['echo: một']);
    expect(runs.get('một')).toBe(1);
  });

  it('retries a failed send itself, replaying the recorded answer without running the engine again', async () => {
    const { clock, runs, out, inboxes } = setup();
    const [a, b] = inboxes as [Inbox, Inbox];
    out.state.failing = true;
    expect(await a.receive(update('u2', 1, 'hai'), out.send)).toBe('accepted');
    expect(out.delivered).toEqual([]);
    // A redelivery before the retry is due changes nothing.
    expect(await b.receive(update('u2', 1, 'hai'), out.send)).toBe('duplicate');
    out.state.failing = false;
    expect(await b.sweep()).toBe(0); // not due yet
    clock.now += 1000;
    expect(await b.sweep()).toBe(1);
    expect(out.delivered).toEqual(['echo: hai']);
    expect(runs.get('hai')).toBe(1);
    clock.now += 60_000;
    await a.sweep();
    expect(out.delivered).toEqual(['echo: hai']);
  });

  it("keeps one user's updates in order behind a failure, while other users go on", async () => {
    const { clock, out, inboxes } = setup();
    const [a, b] = inboxes as [Inbox, Inbox];
    out.state.failingFor.add('u3');
    expect(await a.receive(update('u3', 1, 'trước'), out.sendTo('u3'))).toBe('accepted');
    // The second message waits behind the first; another user is answered at once.
    expect(await b.receive(update('u3', 2, 'sau'), out.sendTo('u3'))).toBe('accepted');
    expect(await b.receive(update('other', 1, 'khác'), out.sendTo('other'))).toBe('handled');
    expect(out.delivered).toEqual(['echo: khác']);
    out.state.failingFor.delete('u3');
    clock.now += 60_000;
    await a.sweep();
    expect(out.delivered).toEqual(['echo: khác', 'echo: trước', 'echo: sau']);
    // A new message while the user has a retry waiting is answered after it, without waiting for the sweeper.
    out.state.failingFor.add('u3');
    await a.receive(update('u3', 3, 'ba'), out.sendTo('u3'));
    out.state.failingFor.delete('u3');
    expect(await b.receive(update('u3', 4, 'bốn'), out.sendTo('u3'))).toBe('handled');
    expect(out.delivered.slice(3)).toEqual(['echo: ba', 'echo: bốn']);
  });

  it('parks an update that keeps failing, and answers the next message of that user', async () => {
    const { clock, out, inboxes } = setup(3);
    const [a] = inboxes as [Inbox];
    out.state.failing = true;
    expect(await a.receive(update('u4', 1, 'độc'), out.send)).toBe('accepted');
    for (let i = 0; i < 5; i++) {
      clock.now += 10_000;
      await a.sweep();
    }
    out.state.failing = false;
    expect(await a.receive(update('u4', 2, 'tiếp'), out.send)).toBe('handled');
    expect(out.delivered).toEqual(['echo: tiếp']);
    const parked = await a.parked(10);
    expect(parked.total).toBe(1);
    expect(parked.recent[0]).toMatchObject({ dedupKey: 'tg:1:u4:1', channel: 'telegram', attempts: 3 });
    // Parked is final: a redelivery is not answered either.
    expect(await a.receive(update('u4', 1, 'độc'), out.send)).toBe('duplicate');
    expect(out.delivered).toEqual(['echo: tiếp']);
  });

  it('parks an update whose attempts were all cut short (its process died each time)', async () => {
    const { clock, out } = setup(2);
    const parts = make()[0]!;
    // Two attempts began and never ended, as a process killed mid-update leaves them.
    const poison = { ...update('u5', 1, 'chết'), dedupKey: 'tg:1:u5:1' };
    await parts.journal.accept(poison as Required<InboundUpdate>, clock.now);
    const user = { channel: 'telegram' as const, userId: 'u5' };
    expect((await parts.journal.next(user))!.attempts).toBe(1);
    expect((await parts.journal.next(user))!.attempts).toBe(2);
    clock.now += 60_000;
    const inboxOnSameStore = createInbox({
      engine: echoEngine().engine,
      ...parts,
      subscribers: new MemorySubscriberStore(),
      messages: assistant().messages,
      flood,
      logger: silentLogger,
      retry: { maxAttempts: 2, delayMs: () => 1000 },
      now: () => clock.now,
    });
    inboxOnSameStore.attach('telegram', (_to, replies) => out.send(replies));
    await inboxOnSameStore.sweep();
    expect(out.delivered).toEqual([]);
    expect((await inboxOnSameStore.parked(5)).recent[0]).toMatchObject({ dedupKey: 'tg:1:u5:1', attempts: 3 });
  });
});

describe('inbox, web and terminal messages', () => {
  it('answers within the request, and says "try again shortly" when the store is out of reach', async () => {
    const { engine } = echoEngine();
    const broken: UpdateGuard = {
      withUserLock: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:6399');
      },
      tryUserLock: async () => ({ ran: false }),
      hit: async () => 'ok',
    };
    const make = (guard: UpdateGuard) =>
      createInbox({
        engine,
        guard,
        journal: new MemoryUpdateJournal(),
        subscribers: new MemorySubscriberStore(),
        messages: assistant().messages,
        flood,
        logger: silentLogger,
      });
    const got: string[] = [];
    const deliver = async (r: Reply[]) => {
      got.push(...r.map((x) => x.text));
    };
    const web = { message: { channel: 'web' as const, userId: 'w1', kind: 'text' as const, text: 'xin chào' } };
    expect(await make(new MemoryUpdateGuard(flood)).receive(web, deliver)).toBe('handled');
    expect(got).toEqual(['echo: xin chào']);
    expect(await make(broken).receive(web, deliver)).toBe('failed');
    expect(got[1]).toBe(assistant().messages.unavailable);
  });

  it('records no subscriber for a web visitor, and one for a Telegram user', async () => {
    const subscribers = new MemorySubscriberStore();
    const inbox = createInbox({
      engine: echoEngine().engine,
      guard: new MemoryUpdateGuard(flood),
      journal: new MemoryUpdateJournal(),
      subscribers,
      messages: assistant().messages,
      flood,
      logger: silentLogger,
    });
    const noop = async () => undefined;
    await inbox.receive({ message: { channel: 'web', userId: 'visitor', text: 'chào' } }, noop);
    await inbox.receive(update('tg-user', 1, 'chào'), noop);
    expect(await subscribers.get('web', 'visitor')).toBeUndefined();
    expect(await subscribers.get('telegram', 'tg-user')).toBeDefined();
  });
});
