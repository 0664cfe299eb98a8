/** The numbered summary of a draft shown before it is submitted ("sửa 3" edits field 3). */
import type { Reply } from '../conversation.js';
import { format, type Messages } from '../messages.js';
import type { Draft } from './draft.js';
import { displayValue, FIELD_ORDER } from './fields.js';
import { button } from './step-context.js';

/** The payload of a summary's edit button: "form:edit:" and the field's id ("form:edit:ownerName"). */
export const EDIT_PAYLOAD = 'form:edit:';

export function summary(m: Messages, draft: Draft): Reply {
  const lines = FIELD_ORDER.map(
    (f, i) => `${i + 1}. ${m.form_fields[f].label}: ${displayValue(f, draft.answers, m) ?? m.form_summary_empty}`,
  );
  return {
    text: `${m.form_summary_intro}\n${lines.join('\n')}\n\n${m.form_summary_hint}`,
    // Submit and cancel first (on Zalo "1" stays «Gửi đăng ký»), then one edit button per field, by its id.
    buttons: [
      button(m.form_submit_button, 'form:submit'),
      button(m.form_cancel_button, 'form:cancel'),
      ...FIELD_ORDER.map((f, i) =>
        button(format(m.form_edit_button, { n: i + 1, label: m.form_fields[f].label }), `${EDIT_PAYLOAD}${f}`),
      ),
    ],
  };
}
