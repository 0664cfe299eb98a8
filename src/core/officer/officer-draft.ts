import type { Segment } from '../broadcast/types.js';

/** An announcement an officer is composing in chat, kept in a draft store like registration drafts. */
export interface OfficerDraft {
  step: 'text' | 'audience' | 'communes' | 'confirm';
  text?: string;
  segment?: Segment;
}
