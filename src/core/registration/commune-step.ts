/**
 * The commune step: a name read against the directory of communes and wards — a current unit, a former unit (the
 * unit it became, said in a note), a former name of several former districts (which district?), a former district
 * (the commune of the same name, or the units formed from it), or a few close names to pick from. A name that is
 * none of these is asked again: the directory holds all 56 units and the 161 former ones.
 */
import { type FormerUnit, formerUnitLabel } from '../knowledge/commune-table.js';
import { format } from '../messages.js';
import type { Input } from '../input.js';
import { foldText } from '../text/vietnamese.js';
import type { CommuneOption } from './commune-directory.js';
import type { Draft } from './draft.js';
import { button, type StepContext, type StepResult } from './step-context.js';

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** "Xã Quảng Uyên" → "xã Quảng Uyên", inside a sentence. */
const inSentence = (unit: string) => unit.replace(/^(Xã|Phường)(?=\s)/u, (p) => p.toLowerCase());
/** "huyện Nguyên Bình" → "nguyen binh"; also what a user types to pick it ("Nguyên Bình", "tp Cao Bằng"). */
const districtKey = (text: string) => foldText(text).replace(/^(huyen|h|thanh pho|tp)\s+/, '');

export function acceptCommune(ctx: StepContext, draft: Draft, input: Input, typed: string): StepResult {
  const { m, directory } = ctx;
  const pending = draft.pending;
  const set = (name: string, note?: string) => {
    draft.answers.commune = name;
    draft.pending = undefined;
    return { done: true, ...(note ? { replies: [{ text: note }] } : {}) };
  };
  const formerNote = (name: string, former: FormerUnit) =>
    format(m.form_commune_former_note, {
      former: capitalize(formerUnitLabel(former)),
      district: former.district,
      unit: inSentence(name),
    });
  /** The choices, as buttons, with the pending question that reads the answer. */
  const choose = (text: string, options: CommuneOption[], label: (o: CommuneOption) => string) => {
    draft.pending = options.length ? { kind: 'commune_choice', options } : undefined;
    return { replies: [{ text, buttons: options.map((o, i) => button(label(o), `opt:commune:${i}`)) }] };
  };
  const optionLabel = (o: CommuneOption) =>
    o.former
      ? format(m.form_commune_former_option, {
          former: capitalize(formerUnitLabel(o.former)),
          unit: inSentence(o.name),
        })
      : o.name;
  const districtLabel = (o: CommuneOption) =>
    o.former
      ? format(m.form_commune_district_option, { district: capitalize(o.former.district), unit: inSentence(o.name) })
      : o.name;
  const formerDistrict = (district: string) =>
    choose(
      format(m.form_former_district, { district, district_cap: capitalize(district) }),
      directory.unitsOfDistrict(district).map((name) => ({ name })),
      optionLabel,
    );

  const payload = input.payload;
  if (pending?.kind === 'district_same') {
    if (payload === 'form:district_other') return formerDistrict(pending.district);
    if (payload === 'opt:unit') return set(pending.unit);
  }
  if (pending?.kind === 'commune_choice') {
    const index = /^opt:commune:(\d+)$/.exec(payload ?? '')?.[1];
    const picked = index !== undefined ? pending.options[Number(index)] : undefined;
    if (picked) return set(picked.name);
    // The former district typed instead of pressed: "Nguyên Bình", "huyện nguyên bình".
    if (payload === undefined) {
      const key = districtKey(typed);
      const inDistrict = pending.options.filter((o) => o.former && districtKey(o.former.district) === key);
      if (key && inDistrict.length === 1) return set(inDistrict[0]!.name);
    }
  }
  if (payload !== undefined) return {};
  const match = directory.match(typed);
  switch (match.kind) {
    case 'exact':
      return set(match.name);
    case 'former_unit':
      return set(match.name, formerNote(match.name, match.former));
    case 'choose_former': {
      const former = formerUnitLabel(
        match.options.find((o) => o.former)?.former ?? { kind: 'commune', name: match.former },
      );
      const text = format(m.form_commune_choose_former, {
        count: match.options.length,
        former,
        former_cap: capitalize(former),
      });
      return choose(text, match.options, districtLabel);
    }
    case 'suggest':
      return choose(m.form_commune_suggest, match.options, optionLabel);
    case 'former_district':
      if (match.sameNameUnit) {
        draft.pending = { kind: 'district_same', district: match.district, unit: match.sameNameUnit };
        return {
          replies: [
            {
              text: format(m.form_former_district_same, {
                unit: inSentence(match.sameNameUnit),
                district: match.district,
              }),
              buttons: [
                button(match.sameNameUnit, 'opt:unit'),
                button(m.form_former_district_other, 'form:district_other'),
              ],
            },
          ],
        };
      }
      return formerDistrict(match.district);
    default:
      // Not a unit, nor close to one: asked again (the step's retry), never kept as typed.
      draft.pending = undefined;
      return {};
  }
}
