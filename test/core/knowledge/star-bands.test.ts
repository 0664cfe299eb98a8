/**
 * A score the user names is read against the star bands the knowledge base lists, and the band comes first in
 * the answer, citing the passage that lists the bands (or one that names that band).
 */
import { describe, expect, it } from 'vitest';
import { bandOf, findStarScale } from '../../../src/core/knowledge/star-bands.js';
import type { Passage } from '../../../src/core/knowledge/knowledge-base.js';
import { assistant } from '../../support/app.js';

const answerer = () => assistant().answerer;

describe('the star bands are read from knowledge/', () => {
  it('finds the passage listing a band for each of the five levels', () => {
    const scale = findStarScale(assistant().kb.passages)!;
    expect(scale.passage.id).toBe('tieu-chi-danh-gia#thang-diem-sao');
    expect(scale.bands.map((b) => b.stars).sort()).toEqual([1, 2, 3, 4, 5]);
    expect([20, 30, 49, 50, 69, 70, 89, 90, 100].map((p) => bandOf(scale, p)?.stars)).toEqual([
      1, 2, 2, 3, 3, 4, 4, 5, 5,
    ]);
  });

  it('follows whatever figures the passage gives (nothing is known in code)', () => {
    const passage = {
      id: 'x#y',
      text: '- 5 sao: từ 95 đến 100 điểm;\n- 4 sao: từ 80 đến 94 điểm;\n- 3 sao: từ 60 đến 79 điểm;\n- 2 sao: từ 40 đến 59 điểm;\n- 1 sao: dưới 40 điểm.',
    } as Passage;
    const scale = findStarScale([passage])!;
    expect(bandOf(scale, 85)?.stars).toBe(4);
    expect(bandOf(scale, 39)).toEqual({ stars: 1, from: 0, to: 39 });
  });

  it('a passage with fewer than five levels is no scale', () => {
    expect(findStarScale([{ id: 'a#b', text: '- 3 sao: từ 50 đến 69 điểm;' } as Passage])).toBeUndefined();
  });
});

describe('a score in a question is answered with its band first', () => {
  it.each([
    ['e dc 72d la may sao', /^72 điểm thuộc hạng 4 sao \(từ 70 đến 89 điểm\)\./],
    ['sp dc 88 diem thi dc may sao', /^88 điểm thuộc hạng 4 sao/],
    ['sp e dc 45d thi co dc cap giay chung nhan ocop hok', /^45 điểm thuộc hạng 2 sao \(từ 30 đến 49 điểm\)\./],
    ['Sản phẩm được 25 điểm thì xếp hạng gì?', /^25 điểm thuộc hạng 1 sao \(dưới 30 điểm\)\./],
    ['nghe nói phải 80 điểm mới được 4 sao hả', /^80 điểm thuộc hạng 4 sao \(từ 70 đến 89 điểm\)\./],
    ['Nếu tổng điểm là 93 thì sản phẩm thuộc hạng mấy sao?', /^93 điểm thuộc hạng 5 sao/],
  ])('%s', (question, first) => {
    const a = answerer().answer(question);
    expect(a.abstained).toBe(false);
    expect(a.body).toMatch(first);
    expect(a.text).toContain('Nguồn:');
  });

  it('a long setting before the score does not hide it', () => {
    const a = answerer().answer(
      'Rượu ngô nhà em nấu men lá, ủ chum, đóng chai có tem nhãn đầy đủ, hội đồng chấm được 91 điểm. Vậy là mấy sao ạ?',
    );
    expect(a.body).toMatch(/^91 điểm thuộc hạng 5 sao/);
  });

  it('points that are no score of a product are left alone', () => {
    expect(answerer().answer('Phần A tối đa 40 điểm đúng không').body).not.toMatch(/thuộc hạng/);
    expect(answerer().answer('Từ 50 đến 69 điểm là mấy sao?').body).not.toMatch(/^\d+ điểm thuộc hạng/);
  });

  it('a follow-up that does not name the score again is not answered with it', () => {
    const reader = answerer().reader;
    const first = reader.read('Hội đồng chấm được 72 điểm thì mấy sao?');
    const a = answerer().answer(first);
    const previous = reader.topicOf(first, a.sources[0]?.id, 0, a.body);
    const next = answerer().answer(reader.readInContext('Mức đó ai cấp giấy chứng nhận?', { previous, now: 0 }));
    expect(next.body).not.toMatch(/^72 điểm thuộc hạng/);
  });
});

describe('an example question asked word for word', () => {
  it('wins over passages that only share its words and headings', async () => {
    const { EXAMPLE_EXACT, RANKING_WEIGHTS } = await import('../../../src/core/knowledge/ranking.js');
    expect(EXAMPLE_EXACT).toBeGreaterThan(0.5);
    expect(RANKING_WEIGHTS.exampleExact).toBeGreaterThan(0);
    // "sp 4 sao thi ai cong nhan vay" is an example of cap-danh-gia#ai-cap-giay-chung-nhan; the list of 4-star
    // products shares more of its words.
    expect(answerer().answer('sp 4 sao thi ai cong nhan v').sources[0]?.id).toBe('cap-danh-gia#ai-cap-giay-chung-nhan');
  });
});
