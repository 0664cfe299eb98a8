/**
 * The product-group step: the classifier's proposal for the product name, confirmed with one button, or a group
 * chosen by sector; a group typed by its name or code is taken directly.
 */
import { format } from '../messages.js';
import type { Input } from '../input.js';
import type { Reply } from '../conversation.js';
import { foldText } from '../text/vietnamese.js';
import type { Draft } from './draft.js';
import { groupLabel, pickCategory, sectorsOf, toGroupRef } from './fields.js';
import { button, type StepContext, type StepResult } from './step-context.js';

export function askGroup(ctx: StepContext, draft: Draft): Reply[] {
  const classifier = ctx.classifier;
  const found = draft.answers.productName ? classifier?.classify(draft.answers.productName, 'group') : undefined;
  if (found) {
    const c = found.category;
    draft.pending = { kind: 'group_confirm', code: c.code };
    const proposal = format(ctx.m.form_group_proposed, {
      product: draft.answers.productName!,
      sector: c.sector,
      group: c.group,
      subgroup: c.subgroup,
      code: c.code,
    });
    return [
      {
        text: ctx.stepText(draft, proposal),
        buttons: [
          button(ctx.m.form_group_confirm, 'form:group_confirm'),
          button(ctx.m.form_group_other, 'form:group_other'),
        ],
      },
    ];
  }
  const choice = sectorChoice(ctx, draft);
  return [{ ...choice, text: ctx.stepText(draft, choice.text) }];
}

export function sectorChoice(ctx: StepContext, draft: Draft): Reply {
  draft.pending = { kind: 'group_sector' };
  return {
    text: ctx.m.form_group_pick_sector,
    buttons: sectorsOf(ctx.classifier!).map((s, i) => button(s, `opt:sector:${i}`)),
  };
}

export function acceptGroup(ctx: StepContext, draft: Draft, input: Input, typed: string): StepResult {
  const classifier = ctx.classifier;
  if (!classifier) return {};
  const pending = draft.pending;
  const set = (code: string) => {
    const category = classifier.categories.find((c) => c.code === code);
    if (!category) return {};
    draft.answers.productGroup = toGroupRef(category);
    draft.pending = undefined;
    return { done: true };
  };
  const payload = input.payload;
  if (pending?.kind === 'group_confirm') {
    if (payload === 'form:group_confirm' || input.reading?.yesNo === true) return set(pending.code);
    if (payload === 'form:group_other' || input.reading?.yesNo === false)
      return { replies: [sectorChoice(ctx, draft)] };
  }
  const sectors = sectorsOf(classifier);
  const group = /^opt:group:(.+)$/.exec(payload ?? '')?.[1];
  if (group) return set(group);
  const sectorIndex = /^opt:sector:(\d+)$/.exec(payload ?? '')?.[1];
  if (payload !== undefined && sectorIndex === undefined) return {};
  const direct = payload === undefined ? pickCategory(typed, classifier.categories) : undefined;
  if (direct) return set(direct.code);
  const sector =
    sectorIndex !== undefined ? sectors[Number(sectorIndex)] : sectors.find((s) => foldText(s) === foldText(typed));
  if (sector) {
    const options = classifier.categories.filter((c) => c.sector === sector);
    if (options.length === 1) return set(options[0]!.code);
    draft.pending = { kind: 'group_pick', sector };
    return {
      replies: [
        {
          text: ctx.m.form_group_pick,
          buttons: options.map((c) => button(groupLabel(c), `opt:group:${c.code}`)),
        },
      ],
    };
  }
  return {};
}
