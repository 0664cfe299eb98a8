/**
 * The star bands of the scoring scale, read from the knowledge base (the passage that lists "- 4 sao: từ 70 đến
 * 89 điểm;" for each level), so that a score a user names ("sp e dc 72d la may sao", "hội đồng chấm 45 điểm có
 * được công nhận không") is answered with its band first, citing that passage. Nothing here knows the figures.
 */
import type { Passage } from './knowledge-base.js';

export interface StarBand {
  stars: number;
  /** Inclusive; 0 for "dưới N điểm". */
  from: number;
  /** Inclusive. */
  to: number;
}

export interface StarScale {
  passage: Passage;
  bands: StarBand[];
}

const RANGE = /^-\s*(\d)\s*sao:\s*từ\s*(\d{1,3})\s*đến\s*(\d{1,3})\s*điểm/u;
const BELOW = /^-\s*(\d)\s*sao:\s*dưới\s*(\d{1,3})\s*điểm/u;

/** The first passage that lists a band for every star level 1 to 5, or undefined. */
export function findStarScale(passages: readonly Passage[]): StarScale | undefined {
  for (const passage of passages) {
    const bands: StarBand[] = [];
    for (const line of passage.text.split('\n')) {
      const range = RANGE.exec(line.trim());
      if (range) bands.push({ stars: Number(range[1]), from: Number(range[2]), to: Number(range[3]) });
      const below = BELOW.exec(line.trim());
      if (below) bands.push({ stars: Number(below[1]), from: 0, to: Number(below[2]) - 1 });
    }
    if (new Set(bands.map((b) => b.stars)).size === 5) return { passage, bands };
  }
  return undefined;
}

/** The band a score falls in. */
export function bandOf(scale: StarScale, points: number): StarBand | undefined {
  return scale.bands.find((b) => points >= b.from && points <= b.to);
}
