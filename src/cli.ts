/**
 * `ocop-bot` command line:
 *   ask "câu hỏi"        print the answer for a person
 *   ask --jsonl          one question per stdin line → one JSON line each
 *   kb export --jsonl    one JSON line per indexed passage
 *   kb check             validate knowledge/ (exit 1 on problems)
 *   chat                 terminal chat through the engine
 *   serve                the HTTP server (web chat, /api/chat, /health)
 *   worker               background work only: announcement delivery and submission forwarding (needs REDIS_URL)
 *   backup <file>        an online copy of the embedded database DATA_DIR/ocop.db (safe while serve runs)
 */
import { createInterface } from 'node:readline';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { createApp, createAssistant, createWorker } from './app.js';
import { logStartupReport, startupReport } from './composition/startup-report.js';
import { checkKnowledgeBase, formatSource } from './core/knowledge/knowledge-base.js';
import { readKnowledgeFiles, readScoringSheetFiles } from './adapters/files/load-files.js';
import { checkSheets } from './core/scoring/sheet.js';
import { fromPackageRoot } from './paths.js';
import { backupDatabase, databaseFile } from './adapters/sqlite/database.js';
import { createHttpServer } from './server/http-server.js';
import { renderReplies } from './channels/render.js';

const USAGE = `usage:
  ocop-bot ask "câu hỏi" | ask --jsonl
  ocop-bot kb export --jsonl | kb check
  ocop-bot chat
  ocop-bot serve
  ocop-bot worker
  ocop-bot backup <file>`;

function configOrExit(): Config | undefined {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return undefined;
    }
    throw err;
  }
}

async function* stdinLines(): AsyncGenerator<string> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) yield line;
}

async function ask(config: Config, args: string[]): Promise<number> {
  // Offline and without Redis: the CLI only needs the knowledge base (and the LLM when one is configured).
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const { answers } = createAssistant(config, logger);
  if (args.includes('--jsonl')) {
    for await (const line of stdinLines()) {
      if (!line.trim()) continue;
      const a = await answers.ask(line);
      const sources = a.sources.map((s) => ({
        id: s.id,
        title: s.title,
        source: formatSource({ key: s.id, doc: s.doc, date: s.date, url: s.url }),
      }));
      process.stdout.write(`${JSON.stringify({ question: line, answer: a.text, sources, abstained: a.abstained })}\n`);
    }
    return 0;
  }
  const question = args
    .filter((a) => !a.startsWith('--'))
    .join(' ')
    .trim();
  if (!question) {
    console.error(USAGE);
    return 2;
  }
  const a = await answers.ask(question);
  console.log(a.text);
  return 0;
}

function kb(config: Config, args: string[]): number {
  const dir = fromPackageRoot(config.KNOWLEDGE_DIR);
  const files = readKnowledgeFiles(dir);
  if (args[0] === 'check') {
    const report = checkKnowledgeBase(files);
    const read = readScoringSheetFiles(dir);
    const sheets = checkSheets(read.files);
    const problems = [...report.problems, ...read.problems, ...sheets.problems];
    for (const p of problems) console.error(`problem: ${p}`);
    console.log(
      `${report.files} files, ${report.passages} passages, ${report.dataSections} data sections, ${sheets.sheets.length} scoring sheets, ${problems.length} problems`,
    );
    return problems.length ? 1 : 0;
  }
  if (args[0] === 'export') {
    const logger = createLogger('warn');
    const { kb: base } = createAssistant(config, logger);
    for (const p of base.passages) {
      process.stdout.write(
        `${JSON.stringify({ id: p.id, title: `${p.docTitle} — ${p.heading}`, text: p.text, source: formatSource(p.source) })}\n`,
      );
    }
    return 0;
  }
  console.error(USAGE);
  return 2;
}

async function chat(config: Config): Promise<number> {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const app = createApp(config, logger);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  // The terminal has no buttons: choices are numbered lines, and a typed number picks one (as on Zalo).
  const say = (text: string) =>
    app.inbox.receive({ message: { channel: 'cli', userId: 'terminal', text, kind: 'text' } }, async (replies) => {
      const out = renderReplies(replies, {
        maxLength: 10_000,
        buttons: 'numbered',
        chooseHint: app.messages.choose_hint,
        chooseHintOne: app.messages.choose_hint_one,
      });
      for (const m of out) console.log(`\n${m.text}\n`);
    });
  await say('/start');
  rl.setPrompt('> ');
  rl.prompt();
  for await (const line of rl) {
    await say(line);
    rl.prompt();
  }
  await app.close();
  return 0;
}

async function serve(config: Config): Promise<number> {
  const logger = createLogger(config.LOG_LEVEL);
  const app = createApp(config, logger);
  const server = createHttpServer(app, logger);
  await server.listen({ host: config.HOST, port: config.PORT });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ url: `http://${config.HOST}:${port}/` }, 'listening');
  logStartupReport(logger, startupReport(config, app.storage, port));
  await app.startChannels();
  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'shutting down');
    await server.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return new Promise<number>(() => {});
}

async function worker(config: Config): Promise<number> {
  const logger = createLogger(config.LOG_LEVEL);
  if (!config.REDIS_URL) {
    console.error('ocop-bot worker needs REDIS_URL: the queues live in Redis.');
    return 1;
  }
  const app = createWorker(config, logger);
  await app.start();
  logger.info(
    { telegram: Boolean(config.TELEGRAM_BOT_TOKEN), zalo: Boolean(config.ZALO_BOT_TOKEN), outbox: Boolean(app.outbox) },
    'worker running',
  );
  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'worker stopping: finishing the sends in progress');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return new Promise<number>(() => {});
}

async function backup(config: Config, args: string[]): Promise<number> {
  const [target] = args;
  if (!target || args.length !== 1) {
    console.error('usage: ocop-bot backup <file>');
    return 2;
  }
  if (config.DATA_DIR === ':memory:') {
    console.error('DATA_DIR is :memory:, there is no database file to copy.');
    return 1;
  }
  if (config.REDIS_URL)
    console.error(
      'note: REDIS_URL is set, so the server keeps its state in Redis (back it up there); copying DATA_DIR anyway.',
    );
  try {
    const { file, pages } = await backupDatabase(databaseFile(config.DATA_DIR), target);
    console.log(`backup of ${databaseFile(config.DATA_DIR)} written to ${file} (${pages} pages)`);
    return 0;
  } catch (err) {
    console.error(`backup failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const config = configOrExit();
  if (!config) return 1;
  switch (command) {
    case 'ask':
      return ask(config, args);
    case 'kb':
      return kb(config, args);
    case 'chat':
      return chat(config);
    case 'serve':
      return serve(config);
    case 'worker':
      return worker(config);
    case 'backup':
      return backup(config, args);
    default:
      console.error(USAGE);
      return 2;
  }
}
