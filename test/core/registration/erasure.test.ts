/** What a producer's erasure request removes from a submission (Nghị định 13/2023/NĐ-CP), and what it keeps. */
import { describe, expect, it } from 'vitest';
import { applyErasure, ERASED_VALUE, OWNER_TYPES, PERSON_NAMED_OWNERS } from '../../../src/core/registration/types.js';
import type { Submission } from '../../../src/core/registration/types.js';
import { MARCH_5_2026, sampleForm } from '../../support/submissions.js';

const submission = (ownerType: (typeof OWNER_TYPES)[number], ownerName: string): Submission => ({
  id: 'OCOP-CB-2026-000001',
  channel: 'telegram',
  userId: 'u1',
  form: sampleForm({ ownerType, ownerName, email: 'hoa@example.vn' }),
  status: 'new',
  createdAt: MARCH_5_2026,
  updatedAt: MARCH_5_2026,
  history: [{ at: MARCH_5_2026, status: 'new', by: 'producer' }],
});

describe('erasure', () => {
  it.each([
    ['household', 'Hộ kinh doanh Nông Văn Dũng', true],
    ['individual', 'Bế Thị Hoa', true],
    ['cooperative', 'HTX Nông nghiệp Phia Đén', false],
    ['cooperative_group', 'Tổ hợp tác miến dong Phja Đén', false],
    ['enterprise', 'Công ty TNHH Trà Cao Bằng', false],
  ] as const)('a %s named «%s»: contact, phone and email erased; owner name erased: %s', (type, name, personal) => {
    const erased = applyErasure(submission(type, name), MARCH_5_2026 + 1);
    expect(erased.form.contactName).toBe(ERASED_VALUE);
    expect(erased.form.phone).toBe(ERASED_VALUE);
    expect(erased.form.email).toBe(ERASED_VALUE);
    expect(erased.form.ownerName).toBe(personal ? ERASED_VALUE : name);
    expect(erased.form.productName).toBe(submission(type, name).form.productName);
    expect(erased.erasedAt).toBe(MARCH_5_2026 + 1);
  });

  it('names every owner type as person-named or not, and erases only once', () => {
    expect(OWNER_TYPES.filter((t) => PERSON_NAMED_OWNERS.has(t))).toEqual(['household', 'individual']);
    const once = applyErasure(submission('individual', 'Bế Thị Hoa'), MARCH_5_2026 + 1);
    expect(applyErasure(once, MARCH_5_2026 + 2)).toBe(once);
  });
});
