/**
 * A reply's text for Telegram's HTML parse mode: everything escaped, and each source line ("Nguồn: Quyết định
 * 148/QĐ-TTg (2023) — https://…") turned into a short named link (`Nguồn: <a href="https://…">Quyết định …</a>`)
 * instead of a long raw URL.
 */

/** The characters Telegram's HTML mode reads as markup, in text and in attribute values. */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** The text with its source lines (`<label>: <name> — <url>`) as named links, the rest escaped. */
export function toTelegramHtml(text: string, sourceLabel: string): string {
  const prefix = `${sourceLabel}: `;
  return text
    .split('\n')
    .map((line) => {
      if (!line.startsWith(prefix)) return escapeTelegramHtml(line);
      const cited = /^(.+) — (https?:\/\/\S+)$/.exec(line.slice(prefix.length));
      if (!cited) return escapeTelegramHtml(line);
      const [, name, url] = cited;
      return `${escapeTelegramHtml(prefix)}<a href="${escapeTelegramHtml(url!)}">${escapeTelegramHtml(name!)}</a>`;
    })
    .join('\n');
}
