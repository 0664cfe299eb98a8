/** A complete registration form and helpers shared by the submission tests. */
import type { FieldId, RegistrationForm } from '../../src/core/registration/types.js';

export function sampleForm(overrides: Partial<RegistrationForm> = {}): RegistrationForm {
  return {
    ownerName: 'Hợp tác xã Nông sản Quảng Lâm',
    ownerType: 'cooperative',
    hasBusinessRegistration: true,
    contactName: 'Nông Văn Minh',
    phone: '0912345678',
    email: 'htxquanglam@gmail.com',
    commune: 'Xã Quảng Lâm',
    productName: 'Mật ong bạc hà',
    productGroup: {
      code: 'I.2.b',
      sector: 'Thực phẩm',
      group: 'Thực phẩm chế biến',
      subgroup: 'Mật ong, sản phẩm từ mật ong',
    },
    description: 'Mật ong từ hoa bạc hà tự nhiên trên núi đá, vị thơm mát, thu hoạch thủ công.',
    packaging: 'chai thủy tinh 500 ml',
    rawMaterialSource: 'local',
    targetMarket: 'khách du lịch ở Cao Bằng; siêu thị ở Hà Nội',
    expectedOutput: '2 tấn/năm',
    supportWanted: 'thiết kế bao bì, kiểm nghiệm chất lượng',
    ...overrides,
  };
}

/** 2026-03-05 10:00 in Vietnam. */
export const MARCH_5_2026 = Date.UTC(2026, 2, 5, 3, 0);
export const HOUR = 3600 * 1000;
export const DAY = 24 * HOUR;

/** A whole form typed as a producer would, one answer per field (a household selling honey in Quảng Lâm). */
export const TYPED_ANSWERS: Readonly<Record<FieldId, string>> = {
  ownerName: 'Nông Văn Dũng',
  ownerType: 'hộ kinh doanh',
  hasBusinessRegistration: 'có',
  contactName: 'Nông Văn Dũng',
  phone: '0912 345 678',
  email: 'dung.nong@gmail.com',
  commune: 'quang lam',
  productName: 'Mật ong bạc hà',
  productGroup: 'Đúng',
  description: 'Mật ong từ hoa bạc hà tự nhiên trên núi đá, vị thơm mát.',
  packaging: 'chai thủy tinh 500 ml',
  rawMaterialSource: 'tại địa phương',
  targetMarket: 'khách du lịch và Hà Nội',
  expectedOutput: '2 tấn/năm',
  supportWanted: 'thiết kế bao bì',
};
