/**
 * Replies are written with "bạn" (the user) and "tôi" (the assistant); these words are replaced by the pair of
 * pronouns that matches how the user speaks (prompts/messages.yaml address_forms). Quoted labels («Hồ sơ của
 * tôi», "nhận thông báo") are the user's own words and stay as they are.
 */
import { escapeRegExp } from './text/regexp.js';

export interface PronounPair {
  you: string;
  me: string;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The text with `from`'s pronouns replaced by `to`'s, outside «…» and "…" quotes. */
export function personalize(text: string, from: PronounPair, to: PronounPair): string {
  if (from.you === to.you && from.me === to.me) return text;
  const swap = new Map<string, string>([
    [from.you, to.you],
    [capitalize(from.you), capitalize(to.you)],
    [from.me, to.me],
    [capitalize(from.me), capitalize(to.me)],
  ]);
  const word = new RegExp(`(?<![\\p{L}])(${[...swap.keys()].map(escapeRegExp).join('|')})(?![\\p{L}])`, 'gu');
  return text
    .split(/(«[^»]*»|"[^"]*")/u)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(word, (w) => swap.get(w) ?? w)))
    .join('');
}
