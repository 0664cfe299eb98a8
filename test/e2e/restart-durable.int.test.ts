/**
 * The default set-up keeps what officers rely on (issue 12): a real `ocop-bot serve` process with no storage
 * configuration at all — started in an empty working directory, so the database lands in its default
 * ./data/ocop.db — takes two registrations through the web chat, is killed without warning (SIGKILL), is
 * started again on the same folder and takes a third. All three are listed, with three distinct codes. The
 * same test runs with REDIS_URL (a unique prefix). The start-up report of each process is checked on the way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dropPrefix, freePort, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { OCOP_BOT_BIN, killLeftovers } from '../support/processes.js';
import { tempDataDir } from '../support/sqlite.js';

const ADMIN_TOKEN = 'restart-durable-officer-token';
const CODE = /OCOP-CB-\d{4}-\d{6}/;

/** Fills the form as a person types it on the web chat; resolves with the reference code it was given. */
async function register(url: string, userId: string, productName: string): Promise<string> {
  const send = async (text: string) => {
    const res = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, text }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join('\n');
  };
  for (const text of [
    'tôi muốn đăng ký ý tưởng',
    'Hợp tác xã Nông sản Quảng Lâm',
    'Hợp tác xã',
    'Nông Văn Minh',
    '0912.345.678',
    'lienhe@htxquanglam.vn',
    'xa quang lam',
    productName,
    'Đúng',
    'Sản phẩm từ nguyên liệu trên núi đá, vị thơm mát.',
    'chai thủy tinh 500 ml',
    'Tại địa phương',
    'khách du lịch và siêu thị ở Hà Nội',
    '2 tấn/năm',
    'thiết kế bao bì và mã vạch',
  ])
    await send(text);
  const submitted = await send('Gửi đăng ký');
  const code = submitted.match(CODE)?.[0];
  expect(code, submitted).toBeDefined();
  return code!;
}

describe.each([
  ['no configuration (SQLite in ./data)', false],
  ['Redis', true],
])('a server killed and started again, with %s', (_name, withRedis) => {
  const children: ChildProcess[] = [];
  const prefix = uniquePrefix('restart-durable');
  afterEach(async () => {
    await killLeftovers(children.splice(0));
  });
  afterAll(async () => {
    if (withRedis) await dropPrefix(prefix);
  });

  async function serve(cwd: string, port: number): Promise<{ child: ChildProcess; url: string; log: () => string }> {
    const child = spawn(process.execPath, [OCOP_BOT_BIN, 'serve'], {
      cwd,
      // A clean environment: nothing inherited, no .env in the working directory. Only the port, the officer
      // token (to list the submissions) and room for a test typing faster than people do.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: cwd,
        PORT: String(port),
        ADMIN_TOKEN,
        FLOOD_MAX_MESSAGES: '1000',
        CHAT_RATE_LIMIT_PER_MINUTE: '100000',
        ...(withRedis ? { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix } : {}),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let log = '';
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    await expect
      .poll(
        () =>
          fetch(`${url}/health`).then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 90_000, interval: 200 },
      )
      .toBe(200);
    return { child, url, log: () => log };
  }

  it('keeps every submission and never gives a reference code twice', async () => {
    const cwd = tempDataDir('restart-durable');
    const port = await freePort();
    const first = await serve(cwd, port);
    const codes = [
      await register(first.url, 'web-a', 'Mật ong bạc hà'),
      await register(first.url, 'web-b', 'Trà hoa vàng'),
    ];
    // The start-up report says plainly where things are kept, where the console is and that sign-in is set up.
    const report = first.log();
    expect(report).toContain(
      withRedis
        ? `forms in progress: Redis ${TEST_REDIS_URL.replace(/\/$/, '')}`
        : `forms in progress: SQLite ${path.join(fs.realpathSync(cwd), 'data', 'ocop.db')}`,
    );
    expect(report).toContain(`officers' console: http://127.0.0.1:${port}/admin`);
    expect(report).toContain('officer sign-in: ADMIN_TOKEN is set');
    expect(report).not.toContain(ADMIN_TOKEN);
    expect(report).not.toContain('LOST ON RESTART');
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');

    const second = await serve(cwd, port);
    const health = (await (await fetch(`${second.url}/health`)).json()) as { store: string };
    expect(health.store).toBe(withRedis ? 'redis' : 'sqlite');
    codes.push(await register(second.url, 'web-c', 'Khăn thổ cẩm'));
    expect(new Set(codes).size).toBe(3);

    const res = await fetch(`${second.url}/api/admin/submissions`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    const listed = ((await res.json()) as { items: { id: string; form: { productName: string } }[] }).items;
    expect(listed.map((s) => s.id).sort()).toEqual([...codes].sort());
    expect(listed.map((s) => s.form.productName).sort()).toEqual(['Khăn thổ cẩm', 'Mật ong bạc hà', 'Trà hoa vàng']);
    // Without Redis the database is in the default folder of the working directory.
    expect(fs.existsSync(path.join(cwd, 'data', 'ocop.db'))).toBe(!withRedis);
  });
});
