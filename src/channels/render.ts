/**
 * Turns the engine's neutral replies into what a platform can send: texts within its length limit, split
 * at paragraph boundaries, and choices as native buttons or, where there are none (Zalo), numbered lines.
 */
import type { Button, Reply } from '../core/conversation.js';
import { format } from '../core/messages.js';

export interface OutgoingMessage {
  text: string;
  /** Native buttons (only when the platform has them), on the last message of a reply. */
  buttons?: Button[];
  requestContact?: boolean;
}

export interface RenderOptions {
  /** The platform's text limit in characters. */
  maxLength: number;
  buttons: 'native' | 'numbered';
  /** Shown after numbered choices; `{count}` is the number of choices. */
  chooseHint: string;
  /** Shown after a single numbered choice (defaults to chooseHint). */
  chooseHintOne?: string;
}

/** Separators tried in turn, from the largest unit of meaning to the smallest. */
const SEPARATORS: { split: RegExp; join: string }[] = [
  { split: /\n{2,}/, join: '\n\n' },
  { split: /\n/, join: '\n' },
  { split: /(?<=[.!?…:;])\s+/, join: ' ' },
  { split: /\s+/, join: ' ' },
];

/** Splits text into pieces of at most `limit` characters, keeping paragraphs, then lines, then sentences whole. */
export function splitText(text: string, limit: number, level = 0): string[] {
  if (text.length <= limit) return [text];
  const separator = SEPARATORS[level];
  if (!separator) {
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += limit) pieces.push(text.slice(i, i + limit));
    return pieces;
  }
  const chunks: string[] = [];
  let current = '';
  for (const part of text.split(separator.split).filter((p) => p.trim())) {
    for (const piece of part.length > limit ? splitText(part, limit, level + 1) : [part]) {
      const joined = current ? `${current}${separator.join}${piece}` : piece;
      if (joined.length <= limit) current = joined;
      else {
        if (current) chunks.push(current);
        current = piece;
      }
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

function numbered(buttons: Button[], options: RenderOptions): string {
  const lines = buttons.map((b, i) => `${i + 1}. ${b.label}`);
  const hint = buttons.length === 1 && options.chooseHintOne ? options.chooseHintOne : options.chooseHint;
  return `${lines.join('\n')}\n${format(hint, { count: buttons.length })}`;
}

export function renderReplies(replies: Reply[], options: RenderOptions): OutgoingMessage[] {
  const out: OutgoingMessage[] = [];
  for (const reply of replies) {
    const buttons = reply.buttons?.length ? reply.buttons : undefined;
    const pieces = splitText(reply.text, options.maxLength);
    if (buttons && options.buttons === 'numbered' && !reply.choicesInText) {
      const choices = numbered(buttons, options);
      const last = pieces.length - 1;
      if (`${pieces[last]}\n\n${choices}`.length <= options.maxLength) pieces[last] = `${pieces[last]}\n\n${choices}`;
      else pieces.push(...splitText(choices, options.maxLength));
    }
    pieces.forEach((text, i) => {
      const isLast = i === pieces.length - 1;
      out.push({
        text,
        ...(isLast && buttons && options.buttons === 'native' ? { buttons } : {}),
        ...(isLast && reply.requestContact ? { requestContact: true } : {}),
      });
    });
  }
  return out;
}
