/** Two questions in one message: each is answered, the second read with the first; one question is not cut. */
import { describe, expect, it } from 'vitest';
import { fold } from '../../../src/core/text/vietnamese.js';
import { assistant } from '../../support/app.js';

describe('two questions in one message', () => {
  const { answerer, messages } = assistant();
  const answer = (q: string) => answerer.answer(q);

  it('answers both parts, each with its own source', () => {
    const a = answer('ocop la gi va dang ky o dau');
    expect(a.abstained).toBe(false);
    expect(fold(a.body)).toContain('moi xa mot san pham');
    expect(fold(a.body)).toMatch(/ubnd (cap )?xa/);
    expect(a.sources.length).toBeGreaterThanOrEqual(2);
  });

  it('reads the second part with the first ("bước này" is the first step)', () => {
    const a = answer('Chu trình OCOP bước đầu tiên là gì, bước này thường kéo dài bao lâu?');
    expect(a.abstained).toBe(false);
    expect(fold(a.body)).toContain('buoc 1');
  });

  it('answers what it can and says plainly what it never answers (a price)', () => {
    const a = answer('rượu ngô đại hoàng có mấy sp đạt 4 sao, giá bn');
    expect(a.abstained).toBe(false);
    expect(a.body).toContain('3 sản phẩm');
    expect(a.body).toContain(messages.abstain_reasons.price!.slice(0, 30));
  });

  it('leaves one question with a comma whole', () => {
    const whole = answer('Theo QĐ 148, sản phẩm 4 sao cần bao nhiêu điểm?');
    expect(whole.sources).toHaveLength(1);
    expect(whole.body).not.toContain('\n\n');
  });
});

describe('the step after the one named', () => {
  const { answerer } = assistant();

  it('"dang ky y tuong xong thi buoc tiep theo la gi" is the step after registering the idea', () => {
    const a = answerer.answer('dang ky y tuong xong thi buoc tiep theo la gi');
    expect(a.abstained).toBe(false);
    expect(a.body.split('\n')[0]).toMatch(
      /^Sau «nhận đăng ký ý tưởng sản phẩm», bước tiếp theo \(thứ 3\) là: nhận phương án/,
    );
  });

  it('a list asked for whole is not cut to a next item', () => {
    expect(answerer.answer('chu trình ocop gồm những bước nào').body).not.toContain('tiếp theo (thứ');
  });
});
