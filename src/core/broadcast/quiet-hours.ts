/** Quiet hours in Vietnam time (UTC+7, no daylight saving): nothing but urgent announcements is sent then. */

const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface QuietHours {
  /** Hour (0–23, Vietnam time) quiet hours begin. */
  from: number;
  /** Hour (0–23) they end. from > to wraps midnight (22 → 6). */
  to: number;
}

/** "22-6" → {from: 22, to: 6}; "off" → undefined. */
export function parseQuietHours(spec: string): QuietHours | undefined {
  if (spec.trim().toLowerCase() === 'off') return undefined;
  const m = /^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*$/.exec(spec);
  if (!m) throw new Error('quiet hours must look like 22-6, or be off');
  const [from, to] = [Number(m[1]), Number(m[2])];
  if (from > 23 || to > 23 || from === to) throw new Error('quiet hours must be two different hours 0–23');
  return { from, to };
}

function vietnamHour(at: number): number {
  return Math.floor(((at + VIETNAM_OFFSET_MS) % DAY_MS) / HOUR_MS);
}

export function inQuietHours(at: number, quiet: QuietHours | undefined): boolean {
  if (!quiet) return false;
  const h = vietnamHour(at);
  return quiet.from > quiet.to ? h >= quiet.from || h < quiet.to : h >= quiet.from && h < quiet.to;
}

/** The first moment at or after `at` outside quiet hours. */
export function nextAllowed(at: number, quiet: QuietHours | undefined): number {
  if (!inQuietHours(at, quiet)) return at;
  const local = at + VIETNAM_OFFSET_MS;
  const dayStart = local - (local % DAY_MS);
  let end = dayStart + quiet!.to * HOUR_MS;
  if (end <= local) end += DAY_MS;
  return end - VIETNAM_OFFSET_MS;
}
