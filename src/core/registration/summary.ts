/** The numbered summary of a draft shown before it is submitted ("sửa 3" edits field 3). */
import type { Reply } from '../conversation.js';
import type { Messages } from '../messages.js';
import type { Draft } from './draft.js';
import { displayValue, FIELD_ORDER } from './fields.js';
import { button } from './step-context.js';

export function summary(m: Messages, draft: Draft): Reply {
  const lines = FIELD_ORDER.map(
    (f, i) => `${i + 1}. ${m.form_fields[f].label}: ${displayValue(f, draft.answers, m) ?? m.form_summary_empty}`,
  );
  return {
    text: `${m.form_summary_intro}\n${lines.join('\n')}\n\n${m.form_summary_hint}`,
    buttons: [button(m.form_submit_button, 'form:submit'), button(m.form_cancel_button, 'form:cancel')],
  };
}
