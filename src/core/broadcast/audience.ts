/** Resolves a segment to the recipients it names, from subscribers and submissions. */
import type { SubmissionStore } from '../registration/types.js';
import type { Subscriber, SubscriberStore } from '../subscribers.js';
import { BROADCAST_CHANNELS, type Recipient, type Segment } from './types.js';

const matchesGroup = (code: string | undefined, prefixes: string[]) =>
  code !== undefined && prefixes.some((p) => code === p || code.startsWith(`${p}.`));

export async function resolveAudience(
  segment: Segment | undefined,
  subscribers: SubscriberStore,
  submissions: SubmissionStore,
): Promise<Recipient[]> {
  const channels = segment?.channels?.length ? segment.channels : [...BROADCAST_CHANNELS];
  const byStatus = segment?.submissionStatuses?.length ? segment.submissionStatuses : undefined;
  // What each user's submissions say about them (commune, groups), and who has a submission of the wanted status.
  const all = await submissions.list();
  const known = new Map<string, { communes: Set<string>; groups: Set<string>; statusMatch: boolean }>();
  for (const s of all) {
    const key = `${s.channel}:${s.userId}`;
    const k = known.get(key) ?? { communes: new Set<string>(), groups: new Set<string>(), statusMatch: false };
    k.communes.add(s.form.commune);
    k.groups.add(s.form.productGroup.code);
    if (byStatus?.includes(s.status)) k.statusMatch = true;
    known.set(key, k);
  }
  const wanted = (s: Subscriber): boolean => {
    const k = known.get(`${s.channel}:${s.userId}`);
    if (!s.active) return false;
    if (byStatus ? !k?.statusMatch : !s.optedIn) return false;
    if (segment?.communes?.length) {
      const communes = new Set([s.commune, ...(k?.communes ?? [])].filter(Boolean));
      if (!segment.communes.some((c) => communes.has(c))) return false;
    }
    if (segment?.groups?.length) {
      const groups = [s.productGroup, ...(k?.groups ?? [])];
      if (!groups.some((g) => matchesGroup(g, segment.groups!))) return false;
    }
    return true;
  };
  const recipients: Recipient[] = [];
  for (const channel of channels) {
    for (const s of await subscribers.list(channel)) {
      if (wanted(s)) recipients.push({ channel, userId: s.userId, chatId: s.chatId ?? s.userId });
    }
  }
  return recipients;
}
