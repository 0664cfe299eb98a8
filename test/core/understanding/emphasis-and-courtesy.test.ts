/**
 * Letters held down for emphasis ("nàooo", "hồ sơơơ"), clauses of courtesy around a question ("chúc ad mạnh khỏe
 * …, cảm ơn ad nhiều") and a question passed on ("phụ huynh hỏi tôi …, … để tôi gửi vào nhóm Zalo"), through the
 * real reader and answerer.
 */
import { describe, expect, it } from 'vitest';
import { unstretched } from '../../../src/core/understanding/analyze.js';
import { assistant } from '../../support/app.js';

const answerer = () => assistant().answerer;
const read = (text: string) => answerer().reader.read(text);
const cites = (text: string) => {
  const a = answerer().answer(text);
  return a.abstained ? 'abstained' : a.sources[0]?.id;
};

describe('letters held down', () => {
  const vocabulary = new Set(['nao', 'ho', 'so', 'tuong', 'ocop', 'xoong', 'hoo']);

  it.each([
    ['nàooo', 'nào'],
    ['sơơơ', 'sơ'],
    ['tưởngg', 'tưởng'],
    ['ocopppp', 'ocop'],
    ['xoong', 'xoong'],
    ['hoo', 'hoo'],
  ])('%s → %s', (typed, meant) => {
    expect(unstretched(typed, vocabulary)).toBe(meant);
  });

  it.each([
    ['chàooo bot', 'greeting'],
    ['cảm ơnnnn', 'thanks'],
    ['trạng thái hồ sơơơ', 'profile'],
    ['đăng kýýý ocopppp', 'register'],
  ])('%s → %s', (text, kind) => {
    expect(read(text).request.kind).toBe(kind);
  });

  it('a product held down is still the product', () => {
    expect(read('lạp sườnnn nhóm nàooo').product?.matched).toBe('lạp sườn');
  });
});

describe('courtesy around a question', () => {
  const wrapped =
    'chao ad, chuc ad manh khoe cong viec thuan loi, cho toi hoi nguyen lieu lay tu noi khac ve dong goi thi co lam ocop dc ko hay phai nguon goc o dau, cam on ad nhieu';

  it('the greeting, the wish and the thanks weigh nothing; the question is answered', () => {
    const r = read(wrapped);
    const weighed = r.tokens.filter((t) => !t.stop).map((t) => t.folded);
    for (const w of ['chuc', 'manh', 'khoe', 'thuan', 'loi']) expect(weighed).not.toContain(w);
    expect(weighed).toContain('nguyen');
    expect(r.asking).not.toMatch(/chuc|cam on/);
    expect(cites(wrapped)).toBe('chu-the-ocop#dieu-kien-san-pham');
  });

  it('a message of courtesy only is no question', () => {
    expect(read('Chào ad, chúc ad mạnh khỏe.').request.kind).not.toBe('question');
  });
});

describe('a question passed on', () => {
  it('who asked the writer, and what the writer will do with the answer, weigh nothing', () => {
    const r = read(
      'Nhiều phụ huynh trong lớp hỏi tôi OCOP là chương trình gì, nhờ giải thích giúp để tôi gửi vào nhóm Zalo.',
    );
    const weighed = r.tokens.filter((t) => !t.stop).map((t) => t.folded);
    for (const w of ['phu', 'huynh', 'lop', 'zalo', 'nhom']) expect(weighed).not.toContain(w);
    expect(weighed).toContain('ocop');
  });

  it('"để tôi" with what is asked after it keeps those words', () => {
    const weighed = read('Cần làm gì để tôi được công nhận 3 sao?')
      .tokens.filter((t) => !t.stop)
      .map((t) => t.folded);
    expect(weighed).toContain('cong');
  });
});

describe('how the answer is wanted, and where the writer is, said with the question', () => {
  it('"nói ngắn gọn cho tôi nghe", "giải thích ngắn thôi" weigh nothing', () => {
    expect(cites('OCOP la gi vay, giai thich ngan thoi')).toBe('gioi-thieu-ocop#ocop-la-gi');
    expect(cites('ô cốp là cái gì thế nói ngắn gọn cho tôi nghe với tôi đang nghỉ ở trạm dừng chân')).toBe(
      'gioi-thieu-ocop#ocop-la-gi',
    );
  });

  it('a place the writer is in stays: the answer may depend on it', () => {
    const weighed = read('hồ sơ ocop nộp ở đâu tôi đang ở xã hòa an').tokens.filter((t) => !t.stop);
    expect(weighed.map((t) => t.folded)).toContain('hoa');
  });

  it('"ốp cốp", as voice typing hears it, is OCOP', () => {
    expect(cites('bước đầu tiên của chu trình ốp cốp là làm gì')).toBe('chu-trinh-ocop#buoc-1-tuyen-truyen');
  });
});

describe('Tày and Nùng words in Vietnamese chat', () => {
  it('"lăng" closing a clause is "gì"; "đinh lăng" and "xã Lăng Hiếu" stay', () => {
    expect(read('lau ngo thuoc nhom lang').answerTypes).toContain('group');
    expect(read('trà đinh lăng thuộc nhóm nào').product?.matched).toBe('trà đinh lăng');
    expect(answerer().answer('xã Lăng Hiếu cũ giờ là xã nào').body).toContain('Trùng Khánh');
  });

  it('"lảu ngô" is rượu ngô; "pi noọng", "bấu", "nẩy" read as Vietnamese', () => {
    expect(read('lảu ngô bản tôi nấu thuộc nhóm nào').product?.matched).toBe('rượu ngô');
    expect(cites('Pi noọng hỏi OCOP nẩy là lăng, của nhà nước làm à?')).toBe('gioi-thieu-ocop#ocop-la-gi');
  });

  it('a former commune "giờ vào xã lăng", with its district after "bên", is answered for that district', () => {
    const body = answerer().answer('Ngọc Động cũ bên Quảng Hòa giờ vào xã lăng?').body;
    expect(body).toContain('Hạnh Phúc');
    expect(body).not.toContain('có 2 xã Ngọc Động');
  });
});

describe('what the writer heard, told after the question', () => {
  it('"… e nghe ng ta noi … ma ko hieu" weighs nothing; "ủa" opens nothing', () => {
    expect(cites('ocop la j v ad 😅 e nghe ng ta noi sp ocop hoai ma ko hieu')).toBe('gioi-thieu-ocop#ocop-la-gi');
    expect(cites('ủa OCOP là j v, e nghe mẹ nói mà hok bít')).toBe('gioi-thieu-ocop#ocop-la-gi');
    expect(read('ủa OCOP là j v, e nghe mẹ nói mà hok bít').asking).toBe('OCOP là j v,');
  });

  it('what was heard stays when it is what is asked', () => {
    const weighed = read('em nghe nói OCOP có 6 nhóm, đúng không?').tokens.filter((t) => !t.stop);
    expect(weighed.map((t) => t.folded)).toContain('nhom');
  });
});
