/**
 * The detector behind the integration tests' log check (test/support/log-check.setup.ts): it must find every
 * phone number and e-mail address the tests type, in every form, so that the check can fail, and find nothing
 * in a masked log, so that it passes for the right reason.
 */
import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../src/core/text/mask.js';
import { findInText, findPersonalData } from '../support/personal-data.js';

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ level: 20, time: 1764646731000, app: 'ocop-bot', ...fields, msg: 'message received' });

/** What the integration tests type (registration, restart, the console), and the forms masking must cover. */
const PERSONAL = [
  '0912.345.678',
  '0912345678',
  '+84912345678',
  '0987654321',
  '0978111222',
  '0987 654 321',
  '0912  345  678',
  '(+84) 912 345 678',
  '+84 (0) 912 345 678',
  '0912_345_678',
  '0912–345–678',
  '０９１２３４５６７８',
  '0912\u200b345\u200b678',
  '0912\n345\n678',
  '84912345678',
  '(028) 3823 4567',
  'htxquanglam@gmail.com',
  'lienhe@htxquanglam.vn',
  'NGUYEN.VAN+ocop@mail.caobang.gov.vn',
];

describe('the personal-data detector of the log check', () => {
  it.each(PERSONAL)('finds %s in a log line', (value) => {
    expect(findPersonalData(line({ text: `em gửi ${value} ạ` }))).toHaveLength(1);
    expect(findPersonalData(line({ nested: { deep: [value] } }))).toHaveLength(1);
    expect(findInText(`plain text ${value}`)).toHaveLength(1);
  });

  it.each(PERSONAL)('finds nothing once the masker has run: %s', (value) => {
    expect(findPersonalData(line({ text: maskPersonalData(`em gửi ${value} ạ`) }))).toEqual([]);
  });

  it.each([
    'Mã hồ sơ OCOP-CB-2026-000123 ngày 16/6/2025',
    'giai đoạn 2021-2025, QĐ 148/QĐ-TTg, 1048/QĐ-UBND',
    'hỗ trợ 12.000.000 đồng, 1,5 tỷ, 70 điểm',
    'redis 127.0.0.1:6379, bot 123456789:***',
    'id 550e8400-e29b-41d4-a716-446655440000',
  ])('finds nothing in what is kept: %s', (text) => {
    expect(findPersonalData(line({ text }))).toEqual([]);
  });

  it('reads numbers in a line as numbers, not text (pino time, update ids)', () => {
    expect(findPersonalData(line({ update: 84912345678, retryInMs: 0 }))).toEqual([]);
  });
});
