/** Constant-time comparison of a webhook secret header with the configured secret. */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function secretMatches(received: string | string[] | undefined, expected: string): boolean {
  if (typeof received !== 'string') return false;
  // Hashing first gives equal lengths, so the comparison time does not reveal the secret's length.
  return timingSafeEqual(digest(received), digest(expected));
}
