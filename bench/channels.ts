/**
 * Channel benchmark: updates per second that one bot process sustains through the Telegram webhook path,
 * and per-update latency (webhook request to response, which includes sending the replies to the Bot API),
 * for our whole path (Redis dedup, flood count, user lock, subscriber record, conversation state,
 * retrieval, replies) and, in the same run and against the same local Bot API server, for a bare grammY bot
 * that only echoes. Rounds alternate between the two to even out machine noise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { Update } from 'grammy/types';
import { startFakeTelegramServer, type FakeTelegramServer } from '../test/fakes/fake-telegram-server.js';
import { BENCH_SECRET } from './channel-bot.js';
import { dropPrefix } from '../test/support/app.js';

export interface LoadResult {
  name: string;
  updates: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export interface ChannelBenchOptions {
  questions: string[];
  updates?: number;
  warmup?: number;
  concurrency?: number;
  users?: number;
  rounds?: number;
}

type BotKind = 'bare' | 'ours' | 'ours-nocache';

async function startBot(kind: BotKind, apiRoot: string, prefix: string): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each bot process there, to see where the time goes.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, 'bin/run-ts.mjs', 'bench/channel-bot.ts', kind, apiRoot, prefix], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const m = /^READY (\d+)$/.exec(line);
    if (m) return { child, url: `http://127.0.0.1:${m[1]}/telegram/webhook` };
  }
  throw new Error(`${kind} bot exited before it was ready`);
}

async function load(
  url: string,
  updates: Update[],
  concurrency: number,
): Promise<{ latencies: number[]; seconds: number; errors: number }> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  async function worker(): Promise<void> {
    while (next < updates.length) {
      const update = updates[next++]!;
      const t0 = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': BENCH_SECRET },
        body: JSON.stringify(update),
      });
      await res.arrayBuffer();
      if (res.status !== 200) errors++;
      latencies.push(performance.now() - t0);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, seconds: (performance.now() - started) / 1000, errors };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

export interface ChannelBenchResult {
  bare: LoadResult;
  ours: LoadResult;
  oursNoCache: LoadResult;
  rounds: LoadResult[];
  /** Share of measured updates whose text was already seen earlier in the stream (answer-cache hits). */
  repeatShare: number;
}

export async function runChannelBench(options: ChannelBenchOptions): Promise<ChannelBenchResult> {
  const { questions, updates = 3000, warmup = 300, concurrency = 32, users = 400, rounds = 2 } = options;
  const fake: FakeTelegramServer = await startFakeTelegramServer();
  // The labelled questions in turn, each user asking the next one: every question recurs, as on a real bot.
  const makeTexts = (n: number) => Array.from({ length: n }, (_, i) => questions[i % questions.length]!);
  const makeUpdates = (n: number) => makeTexts(n).map((text, i) => fake.textUpdate(1_000_000 + (i % users), text));
  const results: LoadResult[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const kind of ['bare', 'ours', 'ours-nocache'] as const) {
        const prefix = `bench-${process.pid}-${Date.now().toString(36)}`;
        const { child, url } = await startBot(kind, fake.apiRoot, prefix);
        try {
          await load(url, makeUpdates(warmup), concurrency);
          const sentBefore = fake.messages.length;
          const run = await load(url, makeUpdates(updates), concurrency);
          const replies = fake.messages.length - sentBefore;
          if (replies < updates) throw new Error(`${kind}: only ${replies} replies for ${updates} updates`);
          const sorted = [...run.latencies].sort((a, b) => a - b);
          results.push({
            name: kind,
            updates,
            seconds: run.seconds,
            perSecond: updates / run.seconds,
            p50Ms: percentile(sorted, 0.5),
            p99Ms: percentile(sorted, 0.99),
            errors: run.errors,
          });
        } finally {
          child.kill('SIGTERM');
          await once(child, 'exit');
          // The round's conversations, subscribers and question log go with it.
          await dropPrefix(prefix);
        }
        fake.reset();
      }
    }
  } finally {
    await fake.close();
  }
  const combine = (name: string): LoadResult => {
    const rs = results.filter((r) => r.name === name);
    const total = rs.reduce((s, r) => s + r.updates, 0);
    const seconds = rs.reduce((s, r) => s + r.seconds, 0);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return {
      name,
      updates: total,
      seconds,
      perSecond: total / seconds,
      p50Ms: median(rs.map((r) => r.p50Ms)),
      p99Ms: median(rs.map((r) => r.p99Ms)),
      errors: rs.reduce((s, r) => s + r.errors, 0),
    };
  };
  const stream = [...makeTexts(warmup), ...makeTexts(updates)].map((t) => t.trim().toLowerCase());
  const seen = new Set(stream.slice(0, warmup));
  let repeats = 0;
  for (const t of stream.slice(warmup)) {
    if (seen.has(t)) repeats++;
    seen.add(t);
  }
  return {
    bare: combine('bare'),
    ours: combine('ours'),
    oursNoCache: combine('ours-nocache'),
    rounds: results,
    repeatShare: repeats / updates,
  };
}
