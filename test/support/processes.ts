/** Child processes of the e2e tests: the CLI's path, and a clean-up that kills whatever is still running. */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** `ocop-bot` as `npm start` runs it: spawn `process.execPath` with this and a command (`serve`, `worker`). */
export const OCOP_BOT_BIN = new URL('../../bin/ocop-bot.mjs', import.meta.url).pathname;

/** Kills (SIGKILL) every process still running and waits for each to exit, so none holds a port for the next test. */
export async function killLeftovers(children: Iterable<ChildProcess | undefined>): Promise<void> {
  for (const child of children) {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
}
