/**
 * Redis out of reach: how long a web chat message takes to get its "try again shortly", and `/health` its 503,
 * against a port where nothing listens and against a server that accepts connections and never answers. The
 * plain baseline in the same run is the same requests with Redis up. Budgets: chat 2 s, health 1 s.
 */
import { createServer, type Socket } from 'node:net';
import { createApp, type Assistant } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/core/logger.js';
import { createHttpServer } from '../src/server/http-server.js';

export interface OutageResult {
  name: string;
  chatMs: number[];
  healthMs: number[];
  chatStatuses: number[];
  healthStatuses: number[];
}

async function measure(name: string, redisUrl: string, assistant: Assistant, rounds: number): Promise<OutageResult> {
  const config = parseConfig({ LOG_LEVEL: 'silent', REDIS_URL: redisUrl, REDIS_PREFIX: `bench-outage-${process.pid}` });
  const app = createApp(config, silentLogger, assistant);
  const server = createHttpServer(app, silentLogger);
  await server.ready();
  const result: OutageResult = { name, chatMs: [], healthMs: [], chatStatuses: [], healthStatuses: [] };
  try {
    for (let i = 0; i < rounds; i++) {
      let t = performance.now();
      const chat = await server.inject({
        method: 'POST',
        url: '/api/chat',
        payload: { userId: `bench-visitor-${i}`, text: 'OCOP là gì?' },
      });
      result.chatMs.push(performance.now() - t);
      result.chatStatuses.push(chat.statusCode);
      t = performance.now();
      const health = await server.inject({ method: 'GET', url: '/health' });
      result.healthMs.push(performance.now() - t);
      result.healthStatuses.push(health.statusCode);
    }
  } finally {
    await server.close();
    await app.close();
  }
  return result;
}

export async function runOutageBench(assistant: Assistant, rounds = 5): Promise<OutageResult[]> {
  const sockets: Socket[] = [];
  const hung = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
  const hungPort = (hung.address() as { port: number }).port;
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const closedPort = (closed.address() as { port: number }).port;
  await new Promise((r) => closed.close(r));
  try {
    return [
      await measure('Redis up (baseline)', 'redis://127.0.0.1:6379', assistant, rounds),
      await measure('nothing listens', `redis://127.0.0.1:${closedPort}`, assistant, rounds),
      await measure('Redis hangs', `redis://127.0.0.1:${hungPort}`, assistant, rounds),
    ];
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((r) => hung.close(r));
  }
}
