/**
 * The commune step: a name read against the directory of communes and wards — exact, a few close names to pick
 * from, a former district (a clarifying question, or the commune of the same name), or a name the incomplete
 * list lacks, kept as typed once confirmed.
 */
import { format } from '../messages.js';
import type { Input } from '../input.js';
import type { Draft } from './draft.js';
import { button, looksLikeQuestion, type StepContext, type StepResult } from './step-context.js';

const cleanName = (input: string) => input.normalize('NFC').trim().replace(/\s+/g, ' ').slice(0, 80);

export function acceptCommune(ctx: StepContext, draft: Draft, input: Input, typed: string): StepResult {
  const pending = draft.pending;
  const set = (name: string) => {
    draft.answers.commune = name;
    draft.pending = undefined;
    return { done: true };
  };
  const payload = input.payload;
  if (pending?.kind === 'commune_keep' && payload === 'form:keep') return set(pending.name);
  if (pending?.kind === 'district_same') {
    if (payload === 'form:district_other') {
      draft.pending = undefined;
      return { replies: [{ text: format(ctx.m.form_former_district, { district: pending.district }) }] };
    }
    if (payload === 'opt:unit') return set(pending.unit);
  }
  if (pending?.kind === 'commune_pick') {
    const index = /^opt:commune:(\d+)$/.exec(payload ?? '')?.[1];
    const picked = index !== undefined ? pending.names[Number(index)] : undefined;
    if (picked) return set(picked);
    // The list of communes is not complete: a name it lacks can be kept as typed.
    if (payload === 'form:keep') return set(pending.typed);
  }
  if (payload !== undefined) return {};
  const match = ctx.directory.match(typed);
  switch (match.kind) {
    case 'exact':
      return set(match.name);
    case 'suggest': {
      const name = cleanName(typed);
      draft.pending = { kind: 'commune_pick', names: match.names, typed: name };
      const keep = name.length >= 2 ? [button(`${ctx.m.form_commune_keep}: ${name}`, 'form:keep')] : [];
      return {
        replies: [
          {
            text: ctx.m.form_commune_suggest,
            buttons: [...match.names.map((n, i) => button(n, `opt:commune:${i}`)), ...keep],
          },
        ],
      };
    }
    case 'former_district':
      if (match.sameNameUnit) {
        draft.pending = { kind: 'district_same', district: match.district, unit: match.sameNameUnit };
        return {
          replies: [
            {
              text: format(ctx.m.form_former_district_same, { unit: match.sameNameUnit, district: match.district }),
              buttons: [
                button(match.sameNameUnit, 'opt:unit'),
                button(ctx.m.form_former_district_other, 'form:district_other'),
              ],
            },
          ],
        };
      }
      draft.pending = undefined;
      return { replies: [{ text: format(ctx.m.form_former_district, { district: match.district }) }] };
    default: {
      const name = cleanName(typed);
      if (name.length < 2 || name.length > 60 || !/\p{L}/u.test(name) || looksLikeQuestion(input.reading)) return {};
      draft.pending = { kind: 'commune_keep', name };
      return {
        replies: [
          {
            text: format(ctx.m.form_commune_unknown, { input: name }),
            buttons: [button(ctx.m.form_commune_keep, 'form:keep')],
          },
        ],
      };
    }
  }
}
