/** Rendering replies for platforms: length limits, paragraph-boundary splitting, buttons degraded to numbers. */
import { describe, expect, it } from 'vitest';
import { renderReplies, splitText } from '../../src/channels/render.js';

const paragraph = (n: number, len: number) =>
  `${`Đoạn ${n}: ${'nông sản Cao Bằng '.repeat(Math.ceil(len / 18))}`.slice(0, len).trim()}.`;

describe('splitText', () => {
  it.each([
    ['short text stays whole', 'Xin chào.', 50, ['Xin chào.']],
    ['paragraphs are kept whole', 'Một.\n\nHai.\n\nBa.', 10, ['Một.\n\nHai.', 'Ba.']],
    ['lines, when a paragraph is too long', 'dòng một\ndòng hai\ndòng ba', 18, ['dòng một\ndòng hai', 'dòng ba']],
    ['sentences, when a line is too long', 'Câu một. Câu hai. Câu ba.', 18, ['Câu một. Câu hai.', 'Câu ba.']],
    ['words, when a sentence is too long', 'mật ong bạc hà Cao Bằng', 12, ['mật ong bạc', 'hà Cao Bằng']],
    ['a hard cut only for an unbroken string', 'x'.repeat(25), 10, ['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]],
  ])('%s', (_name, text, limit, expected) => {
    expect(splitText(text, limit)).toEqual(expected);
  });

  it('splits a 2,500-character answer into two messages at a paragraph boundary, losing nothing', () => {
    const paragraphs = [paragraph(1, 900), paragraph(2, 800), paragraph(3, 794)];
    const text = paragraphs.join('\n\n');
    expect(text.length).toBe(2500);
    const pieces = splitText(text, 2000);
    expect(pieces).toEqual([`${paragraphs[0]}\n\n${paragraphs[1]}`, paragraphs[2]]);
  });

  it('never exceeds the limit, whatever the text', () => {
    const words = ['mật', 'ong', '\n', '\n\n', 'Cao Bằng.', 'x'.repeat(40), 'HTX', ' '];
    for (let seed = 1; seed < 200; seed++) {
      let text = '';
      for (let i = 0; i < 60; i++) text += words[(seed * 7919 + i * 104729) % words.length] + (i % 3 ? ' ' : '');
      const limit = 20 + (seed % 50);
      for (const piece of splitText(text, limit)) expect(piece.length).toBeLessThanOrEqual(limit);
      expect(splitText(text, limit).join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    }
  });
});

describe('renderReplies', () => {
  const buttons = [
    { label: 'Hỏi về OCOP', value: 'Hỏi về OCOP', ref: '1.0' },
    { label: 'Nhận thông báo', value: 'Nhận thông báo', ref: '1.1' },
  ];

  it('keeps native buttons on the last piece of a long reply', () => {
    const out = renderReplies([{ text: `${paragraph(1, 60)}\n\n${paragraph(2, 60)}`, buttons }], {
      maxLength: 80,
      buttons: 'native',
      chooseHint: '',
    });
    expect(out).toHaveLength(2);
    expect(out[0]!.buttons).toBeUndefined();
    expect(out[1]!.buttons).toEqual(buttons);
  });

  it('turns buttons into numbered lines with a hint where the platform has none', () => {
    const [out] = renderReplies([{ text: 'Bạn cần gì?', buttons }], {
      maxLength: 2000,
      buttons: 'numbered',
      chooseHint: 'Trả lời số 1–{count}.',
    });
    expect(out).toEqual({ text: 'Bạn cần gì?\n\n1. Hỏi về OCOP\n2. Nhận thông báo\nTrả lời số 1–2.' });
  });

  it('sends the numbered choices separately when they do not fit', () => {
    const out = renderReplies([{ text: 'x'.repeat(70), buttons }], {
      maxLength: 80,
      buttons: 'numbered',
      chooseHint: 'Chọn.',
    });
    expect(out.map((m) => m.text)).toEqual(['x'.repeat(70), '1. Hỏi về OCOP\n2. Nhận thông báo\nChọn.']);
  });

  it('asks for a contact on the last piece only', () => {
    const out = renderReplies([{ text: 'Số điện thoại?', requestContact: true }], {
      maxLength: 100,
      buttons: 'native',
      chooseHint: '',
    });
    expect(out).toEqual([{ text: 'Số điện thoại?', requestContact: true }]);
  });
});
