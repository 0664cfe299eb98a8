/**
 * Keeps the operator's documentation true: every setting the guide (docs/huong-dan-van-hanh.md) and the deploy/
 * files name exists in src/config.ts, every `ocop-bot` command they name exists in src/cli.ts, every route they
 * name is served, and every file the README and the guide point to exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../src/app.js';
import { configSchema } from '../../src/config.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { app as testApp } from '../support/app.js';
import { testLogger } from '../support/log-capture.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readFile = (path: string) => readFileSync(join(root, path), 'utf8');

/** The README's Vietnamese quick start, checked like the guide ("README.md#bắt-đầu-nhanh"). */
const QUICK_START = 'README.md#bắt-đầu-nhanh';
function read(path: string): string {
  if (path !== QUICK_START) return readFile(path);
  const readme = readFile('README.md');
  const start = readme.indexOf('## Bắt đầu nhanh');
  expect(start, 'README has its quick start').toBeGreaterThanOrEqual(0);
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
}

const GUIDE = 'docs/huong-dan-van-hanh.md';
const DEPLOY = readdirSync(join(root, 'deploy')).map((f) => `deploy/${f}`);
const DOCUMENTS = [GUIDE, QUICK_START, ...DEPLOY];

/**
 * Documented before their code is merged (other branches of issue 12 add them). Remove a name from here once it
 * is on main: the test then checks it like any other.
 */
const PENDING = {
  settings: [] as string[],
  commands: [] as string[],
  routes: ['/api/admin/broadcasts/:id/events'],
};

/** Upper-case names that are not ours: set for Node or read by other programs. */
const EXTERNAL_NAMES = [
  'NODE_ENV', // Node convention, set by the units and the pm2 file
  'REDISCLI_AUTH', // redis-cli reads the password from it
  'SQLITE_READONLY', // an SQLite error code, quoted in the troubleshooting table
  'AF_INET', // address families in the units' RestrictAddressFamilies=
  'AF_INET6',
  'AF_UNIX',
];

/** The backup script's own variables (`NAME="${NAME:-default}"`), which the guide may name too. */
function scriptVariables(): string[] {
  const script = readFile('deploy/backup.sh');
  return [...script.matchAll(/\$\{([A-Z][A-Z0-9_]*):-/g)].map((m) => m[1]!);
}

const NOT_LETTER_BEFORE = String.raw`(?<![\p{L}\p{N}_])`;
const NOT_LETTER_AFTER = String.raw`(?![\p{L}\p{N}_])`;

/** Setting-like names: upper-case with an underscore (`ADMIN_TOKEN`), or assigned (`PORT=3000`). */
function namedSettings(text: string): string[] {
  const names = new Set<string>();
  const snake = new RegExp(`${NOT_LETTER_BEFORE}[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+${NOT_LETTER_AFTER}`, 'gu');
  for (const m of text.matchAll(snake)) names.add(m[0]);
  const assigned = new RegExp(`${NOT_LETTER_BEFORE}([A-Z][A-Z0-9_]*)=`, 'gu');
  for (const m of text.matchAll(assigned)) names.add(m[1]!);
  return [...names];
}

/** `ocop-bot <command> [<subcommand>]` as written in commands (`npx ocop-bot kb check`, `bin/ocop-bot.mjs serve`). */
function namedCommands(text: string): string[] {
  // At a line's start, after `npx ` or `bin/`, or opening a quote or a parenthesis: where a command is written.
  const re = new RegExp(
    `(?:^|[\`'"(]|npx |bin/)ocop-bot(?:\\.mjs)? ([a-z]+)${NOT_LETTER_AFTER}(?: ([a-z]+)${NOT_LETTER_AFTER})?`,
    'gmu',
  );
  return [...text.matchAll(re)].map((m) => (m[1] === 'kb' && m[2] ? `kb ${m[2]}` : m[1]!));
}

/** Paths of this server named in a text; a full URL counts by its path. */
function namedRoutes(text: string): string[] {
  const paths = text.replace(/https?:\/\/[^\s/"'`)<>]+/g, '');
  const re =
    /(?<![\w.\-/~$])\/(?:health|admin|api\/[\w\-/:]*|telegram\/webhook|zalo\/webhook|web\/[\w.-]*|widget\.js)/g;
  return [...new Set([...paths.matchAll(re)].map((m) => m[0].replace(/[.:]+$/, '')))];
}

/** Every route path of a ready server, read from fastify's route tree. */
function routePaths(server: FastifyInstance): string[] {
  const stack: string[] = [''];
  const paths: string[] = [];
  for (const line of server.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([\s│├└─]*)(\S.*?) \([A-Z, ]+\)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const path = (stack[depth - 1] ?? '') + m[2]!;
    stack[depth] = path;
    stack.length = depth + 1;
    paths.push(path);
  }
  return paths;
}

/** A named path is served when it is a route, or (written as a prefix, `/api/admin/`) some route starts with it. */
function served(path: string, routes: string[]): boolean {
  if (routes.includes(path)) return true;
  const prefix = path.endsWith('/') ? path : `${path}/`;
  return routes.some((r) => r.startsWith(prefix));
}

describe('the documentation names only what exists', () => {
  it('reads the guide and the deploy files', () => {
    expect(DEPLOY).toEqual(
      expect.arrayContaining([
        'deploy/ocop-bot.service',
        'deploy/ocop-bot-worker@.service',
        'deploy/nginx.conf',
        'deploy/redis.conf',
        'deploy/backup.sh',
        'deploy/ecosystem.config.cjs',
      ]),
    );
  });

  it('every pending name is still documented (else drop it from PENDING)', () => {
    const text = DOCUMENTS.map(read).join('\n');
    expect(PENDING.settings.filter((n) => !namedSettings(text).includes(n))).toEqual([]);
    expect(PENDING.commands.filter((c) => !namedCommands(text).includes(c))).toEqual([]);
    expect(PENDING.routes.filter((r) => !namedRoutes(text).includes(r))).toEqual([]);
  });

  it.each(DOCUMENTS)('every setting %s names is in src/config.ts', (file) => {
    const known = new Set([...Object.keys(configSchema.shape), ...PENDING.settings]);
    const ignored = new Set([...EXTERNAL_NAMES, ...scriptVariables()]);
    const unknown = namedSettings(read(file)).filter((n) => !known.has(n) && !ignored.has(n));
    expect(unknown).toEqual([]);
  });

  it('the guide names the settings an operator sets first', () => {
    const named = new Set(namedSettings(read(GUIDE)));
    for (const s of ['HOST', 'PORT', 'TRUST_PROXY', 'REDIS_URL', 'ADMIN_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'DATA_DIR'])
      expect(named.has(s), s).toBe(true);
  });

  it.each(DOCUMENTS)('every ocop-bot command %s names is in src/cli.ts', (file) => {
    const cli = readFile('src/cli.ts');
    const commands = new Set([...cli.matchAll(/case '([a-z]+)':/g)].map((m) => m[1]!));
    const kb = [...cli.matchAll(/args\[0\] === '([a-z]+)'/g)].map((m) => `kb ${m[1]}`);
    const known = new Set([...commands, ...kb, ...PENDING.commands]);
    const unknown = namedCommands(read(file)).filter((c) => !known.has(c) && !known.has(c.split(' ')[0]!));
    expect(unknown).toEqual([]);
  });

  it('the guide starts serve, worker and kb check the way the CLI spells them', () => {
    const named = new Set(namedCommands(read(GUIDE)));
    for (const c of ['serve', 'worker', 'kb check']) expect(named.has(c), c).toBe(true);
  });

  describe('routes', () => {
    let app: App;
    let routes: string[];
    beforeAll(async () => {
      // Webhook mode for both platforms, so their routes exist; nothing is started, so nothing is called.
      app = testApp({
        ADMIN_TOKEN: 'docs-test-token-0123456789',
        TELEGRAM_BOT_TOKEN: '123456:docs-test',
        TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
        TELEGRAM_WEBHOOK_URL: 'https://docs.test/telegram/webhook',
        TELEGRAM_WEBHOOK_SECRET: 'docs-test-secret',
        ZALO_BOT_TOKEN: '123456:docs-test',
        ZALO_API_ROOT: 'http://127.0.0.1:9',
        ZALO_WEBHOOK_URL: 'https://docs.test/zalo/webhook',
        ZALO_WEBHOOK_SECRET: 'docs-test-secret',
      });
      const server = createHttpServer(app, testLogger());
      await server.ready();
      routes = routePaths(server);
      await server.close();
    });
    afterAll(async () => {
      await app?.close();
    });

    it('reads the route tree', () => {
      for (const r of ['/', '/health', '/admin', '/api/chat', '/telegram/webhook', '/zalo/webhook'])
        expect(routes, r).toContain(r);
      expect(served('/api/admin/submissions/:id', routes)).toBe(true);
      expect(served('/api/admin/', routes)).toBe(true);
      expect(served('/api/admin/nothing-here', routes)).toBe(false);
    });

    it.each(DOCUMENTS)('every route %s names is served', (file) => {
      const missing = namedRoutes(read(file)).filter((p) => !served(p, routes) && !PENDING.routes.includes(p));
      expect(missing).toEqual([]);
    });
  });

  it.each(['README.md', GUIDE])('every file %s points to exists', (file) => {
    const text = read(file);
    const base = dirname(join(root, file));
    const missing: string[] = [];
    // Markdown links, relative to the document.
    for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      if (!existsSync(join(base, target))) missing.push(target);
    }
    // Repository paths in code spans, relative to the repository.
    const span = /`((?:docs|deploy|src|test|prompts|knowledge|scripts|bench|bin|\.ci)\/[^`\s]*)`/g;
    for (const m of text.matchAll(span)) {
      const path = m[1]!.replace(/[.,:;]+$/, '');
      const segments = path.split('/');
      const wild = segments.findIndex((x) => /[*…]/.test(x));
      if (wild >= 0) {
        // A pattern (`knowledge/bo-tieu-chi/bo-NN-*.yaml`, `src/adapters/*/…-store.ts`): the folder before it.
        const folder = segments.slice(0, wild).join('/');
        if (!existsSync(join(root, folder))) missing.push(path);
      } else if (!existsSync(join(root, path))) missing.push(path);
    }
    expect(missing).toEqual([]);
  });
});

describe('the extractors find what a reader sees', () => {
  it('settings: snake case and assignments, not Vietnamese placeholders', () => {
    expect(namedSettings('đặt `ADMIN_TOKEN` và HOST=0.0.0.0, Environment=PORT=3001').sort()).toEqual([
      'ADMIN_TOKEN',
      'HOST',
      'PORT',
    ]);
    expect(namedSettings('redis://:MẬT_KHẨU@127.0.0.1, TÊN_MIỀN_CỦA_TỈNH, `TÊN=giá trị`, CHANGE_ME_openssl')).toEqual(
      [],
    );
  });

  it('commands: as typed, not the unit or folder names', () => {
    expect(
      namedCommands('npx ocop-bot kb check\nExecStart=/usr/bin/node /opt/ocop-bot/bin/ocop-bot.mjs serve'),
    ).toEqual(['kb check', 'serve']);
    expect(namedCommands("'ocop-bot backup' failed; (ocop-bot worker)")).toEqual(['backup', 'worker']);
    expect(
      namedCommands(
        'ocop-bot.service, /opt/ocop-bot của tỉnh, /opt/ocop-bot log, systemctl stop ocop-bot ocop-bot-worker@1',
      ),
    ).toEqual([]);
    expect(namedCommands('Several ocop-bot processes; `ocop-bot là`')).toEqual([]);
  });

  it('routes: paths and URLs of this server, not file paths', () => {
    expect(
      namedRoutes('GET /health, https://x.gov.vn/telegram/webhook, `/api/admin/broadcasts/:id/events`, /web/...'),
    ).toEqual(['/health', '/telegram/webhook', '/api/admin/broadcasts/:id/events', '/web/']);
    expect(namedRoutes('/opt/ocop-bot/deploy/nginx.conf /var/lib/redis /etc/nginx/sites-available/admin')).toEqual([]);
  });
});
