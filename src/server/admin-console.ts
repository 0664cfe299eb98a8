/**
 * The officers' console: one page (src/server/admin/console.html, HTML + CSS + script, no build, no external
 * assets) at GET /admin, with its Vietnamese texts from prompts/console.yaml. The page holds no data: it signs
 * in (a named officer's username and password, or the ADMIN_TOKEN) and calls the officer API (/api/admin/*),
 * so serving it needs no authentication.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { loadConsoleTexts, loadMessages } from '../adapters/files/load-files.js';
import { FORM_FIELD_IDS, type Messages } from '../core/messages.js';
import { escapeHtml, pageCsp } from '../channels/html.js';
import { fromPackageRoot } from '../paths.js';
import { ERASED_VALUE } from '../core/registration/types.js';

export interface AdminConsoleDeps {
  /** PROMPTS_DIR: absolute, or relative to the package. */
  promptsDir: string;
}

export interface ConsolePage {
  html: string;
  /** Allows the page's own inline script and style (by hash) and requests to this server only. */
  contentSecurityPolicy: string;
}

function lookup(texts: Record<string, unknown>, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined),
      texts,
    );
}

/** Every text key the template uses: {{key}} in the markup, t('key') / t('key', {...}) in the script. */
export function textKeysUsed(template: string): string[] {
  const keys = new Set<string>();
  for (const m of template.matchAll(/\{\{([\w.]+)\}\}/g)) if (m[1] !== 'texts_json') keys.add(m[1]!);
  for (const m of template.matchAll(/\bt\('([\w.]+)'/g)) keys.add(m[1]!);
  return [...keys].sort();
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The page with its texts filled in, and the CSP that admits exactly its inline blocks. */
export function renderConsolePage(texts: Record<string, unknown>, messages: Messages): ConsolePage {
  const template = readFileSync(new URL('./admin/console.html', import.meta.url), 'utf8');
  const missing = textKeysUsed(template).filter((k) => typeof lookup(texts, k) !== 'string');
  if (missing.length) throw new Error(`prompts/console.yaml: missing texts: ${missing.join(', ')}`);
  const pageTexts = {
    ...texts,
    // The form's own labels, shared with the chat summary and the CSV export.
    form_order: FORM_FIELD_IDS,
    form_labels: Object.fromEntries(FORM_FIELD_IDS.map((id) => [id, messages.form_fields[id].label])),
    owner_type_labels: messages.owner_type_labels,
    raw_material_labels: messages.raw_material_labels,
    yes_label: messages.yes_label,
    no_label: messages.no_label,
    // A personal field the producer had erased holds the marker; the page shows the words for it.
    erased_marker: ERASED_VALUE,
    erased_label: messages.admin_erased_value,
  };
  const html = template
    // In a JSON data block, so "<" is escaped: no text can close the block.
    .replace('{{texts_json}}', () => JSON.stringify(pageTexts).replace(/</g, '\\u003c'))
    .replace(/\{\{([\w.]+)\}\}/g, (_m, key: string) => escapeHtml(lookup(texts, key) as string));
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => sha256(m[1]!));
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => sha256(m[1]!));
  // Photos are shown from blob: URLs (their bytes are fetched with the officer's sign-in): the one source the
  // console adds to the shared policy's images.
  const contentSecurityPolicy = pageCsp({ scripts, styles }).replace(/(^|; )img-src ([^;]*)/, '$1img-src $2 blob:');
  if (!/img-src [^;]* blob:/.test(contentSecurityPolicy)) throw new Error('console CSP: no img-src to extend');
  return { html, contentSecurityPolicy };
}

export function registerAdminConsole(server: FastifyInstance, deps: AdminConsoleDeps): void {
  // Built once at start-up: a missing text stops the server here rather than showing a broken page.
  const dir = fromPackageRoot(deps.promptsDir);
  const page = renderConsolePage(loadConsoleTexts(dir), loadMessages(dir));
  for (const url of ['/admin', '/admin/']) {
    server.get(url, async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-frame-options', 'DENY')
        .header('referrer-policy', 'no-referrer')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', page.contentSecurityPolicy)
        .send(page.html),
    );
  }
}
