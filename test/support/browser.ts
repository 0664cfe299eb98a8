/** Debian's Chromium, headless, driven by playwright-core (installed by scripts/test-services.sh). */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Without the background-networking flags Chromium keeps trying hosts this closed network refuses. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** The phone screen every browser test uses. */
export const PHONE_VIEWPORT = { width: 390, height: 844 };

/**
 * A new page the size of a phone, in Vietnamese, whose script errors and console errors are pushed onto `errors`
 * (a test asserts it stays empty).
 */
export async function phonePage(
  browser: Browser,
  errors: string[],
  options: { acceptDownloads?: boolean } = {},
): Promise<Page> {
  const page = await browser.newPage({ viewport: PHONE_VIEWPORT, locale: 'vi-VN', ...options });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  return page;
}
