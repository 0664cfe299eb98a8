/**
 * Whether a folded word (no diacritics) can be a Vietnamese syllable: an onset and one of the language's rhymes.
 * The typo corrector leaves every word that can be a syllable alone ("ngon" is a word, not a typo of "nguồn");
 * it only rewrites what no Vietnamese syllable spells ("sanr", "chungs").
 */

const ONSETS = ['ngh', 'ng', 'nh', 'ch', 'gh', 'gi', 'kh', 'ph', 'qu', 'th', 'tr', 'b', 'c', 'd', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'x', ''];

/** Folded rhymes (vần), every vowel shape merged with its plain letter (ă, â → a; ê → e; ô, ơ → o; ư → u). */
const RHYMES = new Set(
  [
    // open, and with an off-glide
    'a', 'e', 'i', 'o', 'u', 'y', 'ia', 'ua', 'oa', 'oe', 'ue', 'uy', 'uya', 'ai', 'ao', 'au', 'ay', 'eo', 'eu', 'iu', 'oi',
    'ui', 'uu', 'ieu', 'yeu', 'uoi', 'uou', 'oai', 'oay', 'uay', 'oeo', 'uyu', 'ya', 'uai', 'uao', 'uau',
    // with a final consonant
    'ac', 'ach', 'am', 'an', 'ang', 'anh', 'ap', 'at',
    'ec', 'ech', 'em', 'en', 'eng', 'enh', 'ep', 'et',
    'ich', 'im', 'in', 'inh', 'ip', 'it',
    'oc', 'om', 'on', 'ong', 'op', 'ot', 'ooc', 'oong',
    'uc', 'um', 'un', 'ung', 'up', 'ut',
    'iec', 'iem', 'ien', 'ieng', 'iep', 'iet',
    'yem', 'yen', 'yet',
    'uoc', 'uom', 'uon', 'uong', 'uop', 'uot',
    'oac', 'oach', 'oam', 'oan', 'oang', 'oanh', 'oap', 'oat', 'oen', 'oet', 'oem', 'oec',
    'uan', 'uang', 'uat', 'uac', 'uanh', 'uach', 'uech', 'uenh', 'uen', 'uet',
    'uyen', 'uyet', 'uynh', 'uych', 'uyt', 'uyn',
  ],
);

const cache = new Map<string, boolean>();

/** True when the folded word is spelt like a Vietnamese syllable ("ngon", "quyen", "nghieng"). */
export function isSyllable(folded: string): boolean {
  let known = cache.get(folded);
  if (known !== undefined) return known;
  known = /^[a-z]+$/.test(folded) && ONSETS.some((onset) => folded.startsWith(onset) && RHYMES.has(folded.slice(onset.length)));
  if (cache.size > 20_000) cache.clear();
  cache.set(folded, known);
  return known;
}
