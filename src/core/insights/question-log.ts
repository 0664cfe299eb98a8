/**
 * What people ask: every question that reached retrieval is counted per Vietnam-time day and per cited
 * topic, and the questions the assistant could not answer are kept (the most recent ones) so editors know
 * what to add to knowledge/. Texts are stored masked (src/core/text/mask.ts): no phone numbers, long numbers,
 * e-mail addresses or secrets.
 */
import type { ChannelName } from '../conversation.js';
import { VIETNAM_UTC_OFFSET_MS } from '../registration/types.js';
import { maskPersonalData } from '../text/mask.js';

export interface QuestionRecord {
  channel: ChannelName;
  /** Who asked (the channel's user id), so an officer's answer can reach them. */
  userId?: string;
  text: string;
  abstained: boolean;
  /** The cited passage (answered questions only). */
  topicId?: string;
  topicTitle?: string;
  at: number;
}

/** An unanswered question as stored: masked and trimmed text. */
export interface LoggedQuestion {
  channel: ChannelName;
  userId?: string;
  text: string;
  at: number;
}

export interface DayCount {
  /** Vietnam-time day, YYYY-MM-DD. */
  date: string;
  total: number;
  unanswered: number;
}

export interface TopicCount {
  id: string;
  title: string;
  count: number;
}

export interface QuestionLog {
  record(q: QuestionRecord): Promise<void>;
  /** The most recent unanswered questions, newest first (all that are kept when no limit is given). */
  unanswered(limit?: number): Promise<LoggedQuestion[]>;
  /** One entry per day for the `days` Vietnam-time days ending with the day of `now`, oldest first, zeros included. */
  daily(days: number, now: number): Promise<DayCount[]>;
  /** The most cited passages, most questions first (ties: by id). */
  topTopics(limit: number): Promise<TopicCount[]>;
}

/** How many unanswered questions are kept by default. */
export const DEFAULT_UNANSWERED_CAP = 5000;
/** Longest stored question text, in characters. */
export const MAX_QUESTION_LENGTH = 500;
/** Day counters are kept this long. */
export const DAY_COUNTER_TTL_SECONDS = 400 * 24 * 3600;

const DAY_MS = 24 * 3600 * 1000;

/** The text as stored: whitespace collapsed, personal data masked, at most 500 characters. */
export function questionText(text: string): string {
  // Masked before trimming, so a number cut in half at the limit cannot survive unmasked.
  const masked = maskPersonalData(text.normalize('NFC').replace(/\s+/g, ' ').trim());
  return [...masked].slice(0, MAX_QUESTION_LENGTH).join('');
}

/** The Vietnam-time day of an instant: "2026-03-05". */
export function vietnamDate(at: number): string {
  return new Date(at + VIETNAM_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** The `days` Vietnam-time days ending with the day of `now`, oldest first. */
export function lastDays(days: number, now: number): string[] {
  const out: string[] = [];
  for (let i = days - 1; i >= 0; i--) out.push(vietnamDate(now - i * DAY_MS));
  return out;
}

/** Most questions first; ties by id, so the order is stable. */
export function byCountThenId(a: TopicCount, b: TopicCount): number {
  return b.count - a.count || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
