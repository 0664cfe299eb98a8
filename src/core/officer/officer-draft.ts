import type { Segment } from '../broadcast/types.js';

/** An announcement an officer is composing in chat, kept in the officer's conversation state. */
export interface OfficerDraft {
  step: 'text' | 'audience' | 'communes' | 'confirm';
  text?: string;
  segment?: Segment;
}
