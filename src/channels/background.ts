/** Start-up calls to a platform (set the webhook, fetch the bot's identity) retried until they succeed. */
import type { Logger } from '../core/logger.js';

export interface Retrying {
  /** Resolves when the task succeeded, or never if it was stopped first. */
  done: Promise<void>;
  stop(): void;
}

export function retryUntilDone(
  task: () => Promise<void>,
  logger: Logger,
  what: string,
  delaysMs = [1000, 5000, 15000, 30000],
): Retrying {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    const attempt = (n: number): void => {
      if (stopped) return;
      task().then(resolve, (err: Error) => {
        if (stopped) return;
        const delay = delaysMs[Math.min(n, delaysMs.length - 1)]!;
        logger.error({ err: err.message, retryInMs: delay }, `${what} failed`);
        timer = setTimeout(() => attempt(n + 1), delay);
        timer.unref();
      });
    };
    attempt(0);
  });
  return {
    done,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
