/** What the server's HTML pages share: escaping texts into a template, and their Content-Security-Policy. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * A page's Content-Security-Policy: the scripts and styles given (sources or hashes), calls to this server only,
 * images from it or inline data, no base or form targets, never framed unless `frameAncestors` names who may.
 */
export function pageCsp({
  scripts,
  styles,
  frameAncestors = [],
}: {
  scripts: readonly string[];
  styles: readonly string[];
  /** Origins allowed to show the page in a frame (the web chat's widget); none by default. */
  frameAncestors?: readonly string[];
}): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.join(' ')}`,
    `style-src ${styles.join(' ')}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors.length ? frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
}
