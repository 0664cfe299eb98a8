/**
 * Any of the phrases as whole words of a folded text whose words are joined by single spaces ("quyet dinh do" in
 * "ai ky quyet dinh do"). The phrases are patterns, not escaped.
 */
export function foldedPhrases(phrases: readonly string[]): RegExp {
  return new RegExp(`(?:^| )(?:${phrases.join('|')})(?: |$)`);
}

/**
 * Any of the phrases as whole words of any text, Vietnamese letters included (JavaScript's \b knows ASCII letters
 * only: "xã", "tại", "Ủy ban" never match it). The phrases are patterns, not escaped.
 */
export function wholeWords(phrases: readonly string[], flags = 'iu'): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${phrases.join('|')})(?![\\p{L}\\p{N}])`, flags);
}

/** A string matched literally inside a regular expression. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
