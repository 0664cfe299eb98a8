/**
 * Vietnamese chat lexicon: the abbreviations, misspellings and filler words that producers type on phones.
 * Keys are folded (no diacritics, lowercase, đ→d); values are what the token stands for, written in full.
 * Data, not user-facing text: the bot never shows these strings.
 */

/** Abbreviations and chat shorthand → full words. Applied to single tokens only. */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  sp: 'sản phẩm',
  spham: 'sản phẩm',
  htx: 'hợp tác xã',
  tht: 'tổ hợp tác',
  dn: 'doanh nghiệp',
  dnghiep: 'doanh nghiệp',
  cty: 'công ty',
  dk: 'đăng ký',
  dki: 'đăng ký',
  dky: 'đăng ký',
  dc: 'được',
  dcd: 'được',
  ko: 'không',
  k: 'không',
  kh: 'không',
  kg: 'không',
  khg: 'không',
  hok: 'không',
  hong: 'không',
  cn: 'chứng nhận',
  gcn: 'giấy chứng nhận',
  sdt: 'số điện thoại',
  dt: 'điện thoại',
  ad: 'admin',
  j: 'gì',
  gj: 'gì',
  bn: 'bao nhiêu',
  bnh: 'bao nhiêu',
  bnhieu: 'bao nhiêu',
  nhiu: 'nhiêu',
  ntn: 'như thế nào',
  nthe: 'như thế',
  vs: 'với',
  mk: 'mình',
  mik: 'mình',
  mn: 'mọi người',
  ng: 'người',
  ngta: 'người ta',
  hs: 'hồ sơ',
  hso: 'hồ sơ',
  qd: 'quyết định',
  tw: 'trung ương',
  ubnd: 'ủy ban nhân dân',
  ubdn: 'ủy ban nhân dân',
  hdnd: 'hội đồng nhân dân',
  tp: 'thành phố',
  sx: 'sản xuất',
  kd: 'kinh doanh',
  sxkd: 'sản xuất kinh doanh',
  nn: 'nông nghiệp',
  ptnt: 'phát triển nông thôn',
  ntm: 'nông thôn mới',
  vpdp: 'văn phòng điều phối',
  attp: 'an toàn thực phẩm',
  vstp: 'vệ sinh thực phẩm',
  tmdt: 'thương mại điện tử',
  gd: 'giai đoạn',
  gdoan: 'giai đoạn',
  tg: 'thời gian',
  tgian: 'thời gian',
  bh: 'bao giờ',
  bgio: 'bao giờ',
  z: 'vậy',
  v: 'vậy',
  dz: 'vậy',
  r: 'rồi',
  ok: 'được',
  oke: 'được',
  e: 'em',
  a: 'anh',
  c: 'chị',
  b: 'bạn',
  t: 'tôi',
  trc: 'trước',
  ns: 'nói',
  bik: 'biết',
  bit: 'biết',
  bjk: 'biết',
};

/**
 * Misspellings of whole words seen in chat → the intended word. Only entries that are not themselves a
 * valid syllable with another meaning belong here.
 */
export const MISSPELLINGS: Readonly<Record<string, string>> = {
  cugn: 'cũng',
  dnag: 'đăng',
  khogn: 'không',
  khoong: 'không',
  sanr: 'sản',
  phamr: 'phẩm',
  ocp: 'ocop',
  ocopp: 'ocop',
  ocob: 'ocop',
  occop: 'ocop',
  okop: 'ocop',
};

/**
 * Words that carry no topic: question words, pronouns, politeness and filler, written with their accents.
 * They are left out of retrieval terms and of the confidence measure; question words still steer which
 * sentence is quoted.
 */
export const STOPWORDS: readonly string[] = [
  'là', 'gì', 'nào', 'thì', 'không', 'được', 'của', 'cho', 'em', 'anh', 'chị', 'tôi', 'mình', 'bạn', 'ad',
  'admin', 'ơi', 'với', 'và', 'nhé', 'vậy', 'hả', 'hỏi', 'xin', 'những', 'các', 'này', 'ở', 'à', 'ạ', 'ừ', 'nhỉ',
  'nha', 'đi', 'rồi', 'sẽ', 'đã', 'mà', 'nếu', 'vào', 'ra', 'hay', 'hoặc', 'ai', 'đâu', 'lúc', 'muốn', 'phải',
  'làm', 'biết', 'giúp', 'dùm', 'giùm', 'cám', 'cảm', 'chào', 'ta', 'vui', 'lòng', 'xem', 'rằng', 'đây', 'kia',
  'ấy', 'nữa', 'nhen', 'nhiêu', 'thế', 'có', 'như', 'về', 'trong', 'khi', 'đó', 'do', 'nhiều', 'vay', 'ko',
  'ạh', 'nhá', 'hem', 'hông', 'vầy', 'sao', 'mấy', 'đấy', 'kìa', 'hen', 'luôn', 'cũng', 'còn', 'đang',
];

/**
 * Folded forms of stopwords that are also real topic words when unaccented ("dau": đâu / tinh dầu, "ban": bạn /
 * ủy ban, "chi": chị / chỉ dẫn, "sao": tại sao / 3 sao): unaccented, they stay searchable.
 */
export const AMBIGUOUS_FOLDED: ReadonlySet<string> = new Set([
  'dau', 'luc', 'cam', 'long', 'ma', 'lam', 'day', 'chi', 'ban', 'hoi', 'trong', 'sao', 'con', 'dang', 'cung',
  'vao', 'ra', 'the', 'do', 'hay', 'toi', 'anh', 'ha', 'minh', 'thi', 'may',
]);

/** Multi-word question and politeness phrases (folded) that carry no topic. */
export const STOP_PHRASES: readonly string[] = [
  'cho em hoi', 'cho toi hoi', 'cho minh hoi', 'cho chau hoi', 'xin hoi', 'em hoi', 'toi hoi', 'minh hoi',
  'bao nhieu', 'nhu the nao', 'the nao', 'tai sao', 'vi sao', 'la gi', 'bay gio', 'bao gio', 'khi nao',
  'luc nao', 'o dau', 'cam on', 'xin chao', 'ad oi', 'admin oi', 'vui long', 'duoc khong', 'co khong',
  'khong a', 'ha ad', 'a ad',
];

/**
 * The abbreviations that are also expanded in curated knowledge text, so that "UBND" in a passage and
 * "uy ban nhan dan" in a question meet. Chat-only shorthand ("k", "j", "bn") stays out.
 */
export const KNOWLEDGE_ACRONYMS: ReadonlySet<string> = new Set([
  'htx', 'tht', 'ubnd', 'hdnd', 'attp', 'ntm', 'vpdp', 'ptnt', 'qd', 'tw', 'sxkd', 'gcn', 'tmdt', 'sdt',
]);

/** Words after which a single letter is a label ("phần B", "mục a"), never chat shorthand. */
export const LABEL_WORDS: ReadonlySet<string> = new Set([
  'phan', 'muc', 'mau', 'bieu', 'diem', 'loai', 'nhom', 'hang', 'vitamin', 'khoan', 'dieu', 'phu', 'luc',
]);
