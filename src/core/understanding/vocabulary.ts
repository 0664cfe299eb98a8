/**
 * Every word the assistant reads meaning from, in one place, as data: chat shorthand, particles, filler and
 * question words, the cues of each request and of each kind of answer, entity words, small talk, the words of
 * the registration form, and out-of-scope cues.
 *
 * Keys are folded (no diacritics, lowercase, đ→d) unless a list says it is written with accents; phrases are
 * words separated by single spaces. These strings are never shown to users (user-facing text lives in
 * prompts/). To teach the assistant a word, add it here; the weights that rank passages live in
 * src/core/knowledge/ranking.ts (RANKING_WEIGHTS).
 */

// ---------------------------------------------------------------------------------------------------------
// Shorthand, read by position

/** Chat shorthand → the words it stands for. Applied to single unaccented tokens. */
export const SHORTHAND: Readonly<Record<string, string>> = {
  sp: 'sản phẩm', spham: 'sản phẩm', sanpham: 'sản phẩm',
  htx: 'hợp tác xã', tht: 'tổ hợp tác',
  dn: 'doanh nghiệp', dnghiep: 'doanh nghiệp', cty: 'công ty', dntn: 'doanh nghiệp tư nhân',
  hkd: 'hộ kinh doanh',
  dk: 'đăng ký', dki: 'đăng ký', dky: 'đăng ký', dangky: 'đăng ký', dangki: 'đăng ký',
  dc: 'được', dcd: 'được', ddc: 'được', dduoc: 'được',
  ko: 'không', k: 'không', kg: 'không', khg: 'không', hok: 'không', hong: 'không', khum: 'không',
  cn: 'chứng nhận', gcn: 'giấy chứng nhận', gcnđkkd: 'giấy chứng nhận đăng ký kinh doanh',
  dkkd: 'đăng ký kinh doanh', gpkd: 'giấy phép kinh doanh',
  sdt: 'số điện thoại', dt: 'điện thoại',
  ad: 'admin',
  j: 'gì', gj: 'gì', ji: 'gì',
  bn: 'bao nhiêu', bnh: 'bao nhiêu', bnhieu: 'bao nhiêu', baonhieu: 'bao nhiêu', nhiu: 'nhiêu',
  ntn: 'như thế nào', nthe: 'như thế', nhunao: 'như nào',
  vois: 'với',
  mk: 'mình', mik: 'mình', mjk: 'mình', mn: 'mọi người',
  ng: 'người', ngta: 'người ta',
  hs: 'hồ sơ', hso: 'hồ sơ',
  qd: 'quyết định', nq: 'nghị quyết',
  tw: 'trung ương', ubnd: 'ủy ban nhân dân', ubdn: 'ủy ban nhân dân', hdnd: 'hội đồng nhân dân',
  tp: 'thành phố', tx: 'thị xã',
  sx: 'sản xuất', kd: 'kinh doanh', sxkd: 'sản xuất kinh doanh',
  nn: 'nông nghiệp', ptnt: 'phát triển nông thôn', nnptnt: 'nông nghiệp và phát triển nông thôn', ntm: 'nông thôn mới',
  nnmt: 'nông nghiệp và môi trường',
  vpdp: 'văn phòng điều phối',
  attp: 'an toàn thực phẩm', vstp: 'vệ sinh thực phẩm', tmdt: 'thương mại điện tử',
  gd: 'giai đoạn', gdoan: 'giai đoạn',
  tg: 'thời gian', tgian: 'thời gian', bh: 'bao giờ', bgio: 'bao giờ', bjo: 'bao giờ',
  kq: 'kết quả', sub: 'đăng ký nhận', tb: 'thông báo', tbao: 'thông báo', tks: 'cảm ơn', thks: 'cảm ơn', thanks: 'cảm ơn', thank: 'cảm ơn', camon: 'cảm ơn', cmon: 'cảm ơn',
  xl: 'xin lỗi', pk: 'phải không', trc: 'trước', bik: 'biết', bit: 'biết', bjk: 'biết',
  r: 'rồi', z: 'vậy', dz: 'vậy', zay: 'vậy',
  e: 'em', c: 'chị', b: 'bạn', t: 'tôi',
  oke: 'ok', okie: 'ok', oki: 'ok', okay: 'ok', okela: 'ok',
  // English words mixed in by younger writers.
  cert: 'giấy chứng nhận', certificate: 'giấy chứng nhận', valid: 'hiệu lực', max: 'tối đa', min: 'tối thiểu',
  budget: 'kinh phí', report: 'báo cáo', pass: 'đạt', fail: 'không đạt', deadline: 'hạn', update: 'cập nhật',
  info: 'thông tin', check: 'kiểm tra', form: 'phiếu', file: 'hồ sơ', upload: 'gửi', sale: 'bán', shop: 'cửa hàng',
  vs: 'và', star: 'sao', stars: 'sao', point: 'điểm', points: 'điểm', team: 'nhóm', group: 'nhóm', list: 'danh sách',
  ct: 'chương trình', ctmtqg: 'chương trình mục tiêu quốc gia', mtqg: 'mục tiêu quốc gia', ns: 'ngân sách',
  hd: 'hội đồng', dv: 'đơn vị', tt: 'thông tin', idea: 'ý tưởng', ideas: 'ý tưởng', submit: 'gửi', submitted: 'đã gửi',
  status: 'trạng thái', noti: 'thông báo', notification: 'thông báo', unsub: 'hủy nhận', unsubscribe: 'hủy nhận',
  subscribe: 'đăng ký nhận', my: 'của tôi', show: 'xem', registrations: 'đăng ký', registration: 'đăng ký', fill: 'điền',
  register: 'đăng ký', news: 'tin tức', hi: 'chào', hello: 'chào',
};

/**
 * Shorthand whose reading depends on where it stands. `end`: the meaning as the last word (a particle);
 * `start`: as the first word; `default`: elsewhere.
 */
export const POSITIONAL: Readonly<Record<string, { end?: string; start?: string; default?: string }>> = {
  a: { end: 'ạ', start: 'anh', default: 'anh' },
  ah: { end: 'ạ', default: 'à' },
  the: { end: 'thế' },
  v: { end: 'vậy' },
  kh: { default: 'không' },
  nd: { default: 'nội dung' },
  nhe: { end: 'nhé' },
  nha: { end: 'nha' },
  ha: { end: 'hả' },
  nhi: { end: 'nhỉ' },
  chu: { end: 'chứ' },
  day: { end: 'đấy' },
  oi: { end: 'ơi' },
  nhen: { end: 'nhen' },
  hen: { end: 'hen' },
};

/** Words after which a single letter or a number is a label ("phần B", "mục a", "biểu 01"), never shorthand. */
export const LABEL_WORDS: readonly string[] = [
  'phan', 'muc', 'mau', 'bieu', 'diem', 'loai', 'nhom', 'hang', 'vitamin', 'khoan', 'dieu', 'phu', 'luc', 'bo',
  'tieu', 'chi', 'nganh', 'so',
];

/** Misspelt whole words seen in chat → the word meant. Only entries that are not valid syllables themselves. */
export const MISSPELLINGS: Readonly<Record<string, string>> = {
  ki: 'ký', li: 'lý',
  cugn: 'cũng', dnag: 'đăng', khogn: 'không', khoong: 'không', sanr: 'sản', phamr: 'phẩm',
  ocp: 'ocop', ocopp: 'ocop', ocob: 'ocop', occop: 'ocop', okop: 'ocop', oocp: 'ocop', dangg: 'đăng',
};

/** Shorthand before a document number ("kh 3034", "nd 35"), folded: read as the kind of document. */
export const BEFORE_NUMBER: Readonly<Record<string, string>> = {
  kh: 'kế hoạch', qd: 'quyết định', nq: 'nghị quyết', nd: 'nghị định', tt: 'thông tư', cv: 'công văn',
};

// ---------------------------------------------------------------------------------------------------------
// Filler words

/**
 * Words that carry no topic (question words, pronouns, politeness, filler), written with their accents. They are
 * left out of retrieval terms and of the confidence measure; question words still tell the kind of answer.
 */
export const STOPWORDS: readonly string[] = [
  'là', 'gì', 'nào', 'thì', 'không', 'được', 'của', 'cho', 'em', 'anh', 'chị', 'tôi', 'mình', 'bạn', 'ad',
  'admin', 'ơi', 'với', 'và', 'nhé', 'vậy', 'hả', 'hỏi', 'xin', 'những', 'các', 'này', 'ở', 'à', 'ạ', 'ừ', 'nhỉ',
  'nha', 'đi', 'rồi', 'sẽ', 'đã', 'mà', 'nếu', 'vào', 'ra', 'hay', 'hoặc', 'ai', 'đâu', 'lúc', 'muốn', 'phải',
  'làm', 'biết', 'giúp', 'dùm', 'giùm', 'cám', 'cảm', 'chào', 'ta', 'vui', 'lòng', 'xem', 'rằng', 'đây', 'kia',
  'ấy', 'nữa', 'nhen', 'nhiêu', 'thế', 'có', 'như', 'về', 'trong', 'khi', 'đó', 'do', 'nhiều', 'ko',
  'ạh', 'nhá', 'hem', 'hông', 'vầy', 'sao', 'mấy', 'đấy', 'kìa', 'hen', 'luôn', 'cũng', 'còn', 'đang', 'bác',
  'cháu', 'chú', 'cô', 'dạ', 'vâng', 'ok', 'chứ', 'á', 'nhờ', 'hiện', 'nay', 'thưa', 'bot', 'cần', 'chúng',
];

/**
 * Folded forms of stopwords that are also real topic words when unaccented ("dau": đâu / tinh dầu, "ban": bạn /
 * ủy ban, "chi": chị / chỉ dẫn, "sao": tại sao / 3 sao): unaccented, they stay searchable unless the text around
 * them tells their accents.
 */
export const AMBIGUOUS_FOLDED: readonly string[] = [
  'dau', 'luc', 'cam', 'long', 'ma', 'lam', 'day', 'chi', 'ban', 'hoi', 'trong', 'sao', 'con', 'dang', 'cung',
  'vao', 'ra', 'the', 'do', 'hay', 'toi', 'anh', 'ha', 'minh', 'thi', 'may', 'nay', 'hien', 'can', 'chu', 'nhieu',
  'bac',
];

/** Multi-word question and politeness phrases (folded) that carry no topic. */
export const STOP_PHRASES: readonly string[] = [
  'cho em hoi', 'cho toi hoi', 'cho minh hoi', 'cho chau hoi', 'cho chi hoi', 'cho anh hoi', 'cho bac hoi',
  'xin hoi', 'em hoi', 'toi hoi', 'minh hoi', 'chau hoi', 'bao nhieu', 'nhu the nao', 'the nao', 'tai sao',
  'vi sao', 'la gi', 'bay gio', 'bao gio', 'khi nao', 'luc nao', 'o dau', 'cam on', 'xin chao', 'ad oi', 'admin oi',
  'vui long', 'duoc khong', 'co khong', 'khong a', 'ha ad', 'a ad', 'hien nay', 'hien tai', 'hien co', 'the a',
  'nhu nao', 'lam sao', 'ra sao', 'the nao a', 'co duoc khong', 'phai khong', 'dung khong', 'bot oi',
  'kinh de nghi', 'de nghi cho biet', 'de nghi tro ly', 'xin cho biet', 'kinh gui', 'kinh chao', 'xin tro ly', 'de nghi giai thich',
];

/**
 * Names said with their head noun: only the last words count as content ("Chương trình OCOP là gì?" asks what
 * OCOP is; the passage about the programme's purpose is not a better match for saying "chương trình"). Folded.
 */
export const NAME_HEADS: readonly (readonly [head: string, name: string])[] = [
  ['chuong trinh', 'ocop'], ['chuong trinh', 'mot xa mot san pham'], ['chuong trinh', 'moi xa mot san pham'],
];

/** Particles that may close a message: read as particles there ("ocop la gi the" → "thế", "… a" → "ạ"). */
export const FINAL_PARTICLES: readonly string[] = [
  'a', 'ah', 'à', 'ạ', 'nhe', 'nhé', 'nha', 'nhá', 'nhen', 'hen', 'ha', 'hả', 'nhi', 'nhỉ', 'the', 'thế', 'vay', 'vậy',
  'z', 'v', 'day', 'đấy', 'oi', 'ơi', 'voi', 'với', 'luon', 'luôn', 'chu', 'chứ', 'khong', 'không', 'ko', 'k', 'chua',
  'chưa', 'hong', 'hông', 'hem', 'sao', 'a ad', 'ad', 'admin', 'bot',
];

// ---------------------------------------------------------------------------------------------------------
// The kind of answer asked for

export type AnswerType =
  | 'definition' | 'number' | 'date' | 'duration' | 'who' | 'where' | 'list' | 'how' | 'why' | 'yesno' | 'group'
  | 'eligibility' | 'ordinal' | 'which';

/**
 * Cue phrases per kind of answer, written with their accents (matched like CONCEPTS). A message may ask for more
 * than one ("mấy bước, là những bước nào").
 */
export const ANSWER_TYPE_CUES: Readonly<Record<AnswerType, readonly string[]>> = {
  definition: ['là gì', 'nghĩa là gì', 'nghĩa là', 'là thế nào', 'hiểu thế nào', 'hiểu là', 'khái niệm', 'định nghĩa', 'là sao', 'tên đầy đủ', 'viết tắt', 'là làm gì', 'là cái gì'],
  number: [
    'bao nhiêu', 'mấy', 'số lượng', 'mức', 'tối đa', 'ít nhất', 'con số', 'bao nhiêu tiền', 'bao nhiêu tỷ', 'tổng số',
    'bao nhiêu điểm', 'mấy điểm', 'số điểm', 'kinh phí', 'tổng kinh phí', 'mấy sao', 'tỷ lệ', 'tổng cộng', 'đếm', 'nhiêu',
  ],
  date: [
    'ngày nào', 'khi nào', 'năm nào', 'bao giờ', 'lúc nào', 'ngày bao nhiêu', 'tháng nào', 'từ khi nào', 'từ năm nào',
    'thời điểm', 'từ bao giờ', 'ban hành ngày', 'ký ngày', 'có hiệu lực từ', 'khi nào bắt đầu', 'đợt nào', 'mấy giờ',
  ],
  duration: ['bao lâu', 'thời hạn', 'mấy năm', 'mấy tháng', 'có hạn', 'hiệu lực', 'hết hạn', 'trong bao lâu', 'bao nhiêu năm', 'bao nhiêu tháng', 'mất bao lâu', 'bao nhiêu ngày', 'mấy ngày'],
  who: [
    'ai', 'cơ quan nào', 'sở nào', 'đơn vị nào', 'cấp nào', 'bộ nào', 'nơi nào cấp', 'cho ai', 'chủ trì', 'phụ trách',
    'ai cấp', 'ai công nhận', 'ai đánh giá', 'ai ký', 'ai chấm', 'người nào', 'tổ chức nào', 'bên nào',
  ],
  where: ['ở đâu', 'nơi nào', 'chỗ nào', 'tại đâu', 'nộp đâu', 'đi đâu', 'đến đâu', 'tìm ở đâu', 'xem ở đâu', 'liên hệ đâu', 'hỏi ai', 'gửi đâu', 'làm ở đâu', 'đâu ạ', 'đâu vậy'],
  list: [
    'gồm', 'những gì', 'những nào', 'các bước', 'bao gồm', 'những giấy tờ', 'cần gì', 'cần những', 'kể tên', 'liệt kê',
    'những nhóm', 'các nhóm', 'những loại', 'các loại', 'những sản phẩm nào', 'có những', 'là những', 'cụ thể', 'danh sách',
    'những mục tiêu', 'gồm những', 'những bước', 'giấy tờ gì', 'thủ tục gì', 'các tiêu chí', 'nội dung gì', 'những mục',
  ],
  how: ['như thế nào', 'thế nào', 'làm sao', 'cách nào', 'cách', 'thủ tục', 'quy trình', 'như nào', 'ra sao', 'làm thế nào', 'phải làm gì', 'làm gì', 'cần làm gì'],
  why: ['tại sao', 'vì sao', 'để làm gì', 'mục đích', 'lý do'],
  yesno: ['có không', 'được không', 'phải không', 'có phải', 'hay không', 'có được', 'chưa', 'không ạ', 'đúng không', 'có cần', 'có bắt buộc', 'có mất'],
  group: [
    'thuộc nhóm nào', 'thuộc nhóm gì', 'nhóm nào', 'nhóm gì', 'nhóm sản phẩm nào', 'nhóm sản phẩm gì', 'ngành nào',
    'ngành gì', 'phân nhóm nào', 'xếp vào nhóm nào', 'xếp nhóm nào', 'thuộc ngành nào', 'vào nhóm nào', 'bộ sản phẩm nào',
    'phiếu chấm nào', 'thuộc loại nào', 'loại gì', 'là nhóm gì', 'phân loại', 'xác định nhóm', 'có thuộc nhóm',
    'có phải nhóm', 'có phải là nhóm', 'thuộc bộ nào', 'chấm theo phiếu nào', 'xếp loại', 'nằm trong nhóm nào',
  ],
  eligibility: [
    'tham gia ocop', 'làm ocop', 'đăng ký ocop', 'dự thi ocop', 'tham gia được', 'đủ điều kiện', 'có thể tham gia',
    'được tham gia', 'thành sản phẩm ocop', 'vào ocop', 'làm sản phẩm ocop',
  ],
  ordinal: ['bước thứ', 'thứ nhất', 'thứ hai', 'thứ ba', 'thứ tư', 'thứ năm', 'thứ sáu', 'đầu tiên', 'cuối cùng', 'bước cuối', 'thứ mấy', 'bước mấy', 'tiếp theo'],
  which: ['nào', 'gì'],
};

/** Folded phrases that ask for the present state of things: prefer the newest dated figure. */
/** The past ("trước đây", "hồi trước"), folded: a follow-up about it drops the earlier question's "hiện nay". */
export const PAST_CUES: readonly string[] = ['truoc day', 'truoc kia', 'hoi truoc', 'ngay truoc', 'ngay xua', 'luc truoc', 'thoi truoc', 'truoc nam'];
export const RECENCY_CUES: readonly string[] = [
  'hien nay', 'hien co', 'hien tai', 'bay gio', 'moi nhat', 'nam nay', 'gan day', 'den nay', 'toi nay', 'hien gio',
  'hien', 'bay h', 'luc nay', 'cap nhat', 'con hieu luc', 'dang ap dung', 'dang dung', 'hien hanh',
];

/** Words of a group question that name no product ("sản phẩm của tôi thuộc nhóm nào"), folded. */
export const GROUP_QUESTION_WORDS: readonly string[] = [
  'san', 'pham', 'nhom', 'nganh', 'thuoc', 'ocop', 'cua', 'toi', 'em', 'minh', 'nha', 'phan', 'xep', 'vao', 'loai', 'sp', 'bo', 'hang',
];

// ---------------------------------------------------------------------------------------------------------
// Requests

export type RequestKind =
  | 'question' | 'register' | 'profile' | 'subscribe' | 'unsubscribe' | 'greeting' | 'menu' | 'help' | 'topics'
  | 'more' | 'classify' | 'thanks' | 'ack' | 'goodbye' | 'identity' | 'cancel' | 'back' | 'skip' | 'pause' | 'submit' | 'edit'
  | 'yes' | 'no' | 'officer_broadcast' | 'officer_progress';

/** Slash commands (Telegram's menu, typed anywhere) → the request they make. */
export const COMMANDS: Readonly<Record<string, RequestKind>> = {
  '/start': 'greeting', '/menu': 'menu', '/help': 'help', '/hoi': 'topics', '/dangky': 'register', '/hoso': 'profile',
  '/nhanthongbao': 'subscribe', '/huythongbao': 'unsubscribe', '/stop': 'unsubscribe', '/huy': 'cancel',
  '/cancel': 'cancel', '/back': 'back', '/skip': 'skip', '/thongbao': 'officer_broadcast', '/tiendo': 'officer_progress',
};

/**
 * Concepts that requests are made of, each a list of phrases written with their accents. A word marked "!" is
 * matched without its accents only when the context restores them ("!định": "gia dinh" is no "định"). A request is recognised
 * from the concepts a message contains (REQUEST_FRAMES), not from whole sentences, so that "cho em dang ky sp voi"
 * and "HTX em muốn đăng ký sản phẩm OCOP ạ" read alike. A word typed with accents matches only the same accents
 * ("cán bộ" is no "cần"); a word typed without them matches on its letters, or on its reading restored from the
 * context when that is clear.
 */
export const CONCEPTS = {
  /** Doing the registration. */
  registerVerb: [
    'đăng ký', 'đăng kí', 'ghi danh', 'điền phiếu', 'điền', 'khai phiếu', 'làm phiếu', 'nộp ý tưởng', 'gửi ý tưởng', 'đề xuất',
    'làm hồ sơ', 'nộp phiếu', 'đăng ký tham gia', 'ghi tên', 'khai báo', 'khai', 'khởi tạo', 'tạo phiếu', 'mở phiếu',
    'lập phiếu', 'tạo hồ sơ', 'bắt đầu điền', 'làm thủ tục đăng ký', 'nhập phiếu', 'nhập giúp', 'nhập hộ',
  ],
  /** Taking part, short of naming the form. */
  join: ['tham gia', 'làm ocop', 'vào ocop', 'dự thi', 'đưa sản phẩm vào ocop', 'đưa vào ocop', 'có ocop', 'làm sản phẩm ocop'],
  /** What is registered. */
  registerObject: ['ý tưởng', 'phiếu', 'sản phẩm', 'ocop', 'mẫu đăng ký', 'chương trình', 'hàng', 'mặt hàng'],
  /** Wanting something done now, here. */
  desire: [
    'muốn', '!cần', 'xin', 'cho em', 'cho tôi', 'cho mình', 'cho chị', 'cho anh', 'cho cháu', 'cho bác', 'giúp em', 'giúp tôi',
    'giúp mình', 'giúp cháu', 'làm ơn', '!hãy', '!nhờ', 'bắt đầu', 'tiến hành', '!thử', '!định', 'hỗ trợ em', 'hỗ trợ tôi',
    'em cần', 'tôi cần', 'mình cần', 'cháu cần', 'cần đăng ký', 'cần làm',
    'hướng dẫn em', 'hướng dẫn tôi', 'hướng dẫn mình', 'mong muốn', 'có nhu cầu', 'cho đăng ký', 'được đăng ký', 'đề nghị',
  ],
  /** Doing it in this chat, now. */
  hereNow: [
    'ngay', 'luôn', 'bây giờ', 'ở đây', 'tại đây', 'qua đây', 'trên này', 'qua bot', 'qua zalo', 'qua telegram', 'online',
    'trực tuyến', 'liền', 'với', 'nhé', 'nha', 'đi', 'ở bot này', 'qua trợ lý', 'từ đây', 'qua mạng', 'lúc này', 'giùm', 'dùm',
    'ngay bây giờ', 'luôn nhé', 'qua tin nhắn', 'trên zalo',
  ],
  /** My submitted registrations. */
  profileObject: [
    'hồ sơ', 'hồ sơ của tôi', 'hồ sơ của em', 'hồ sơ của mình', 'hồ sơ của cháu', 'hồ sơ của chị', 'hồ sơ của anh',
    'hồ sơ của bác', 'phiếu của em', 'phiếu của tôi', 'phiếu đã gửi', 'hồ sơ đã gửi', 'hồ sơ đã nộp', 'phiếu em gửi',
    'ý tưởng đã gửi', 'ý tưởng em gửi', 'đơn của em', 'đơn đăng ký', 'mã hồ sơ', 'đăng ký của tôi', 'đăng ký của em',
    'ý tưởng của em', 'ý tưởng của tôi', 'phiếu đăng ký của', 'hồ sơ nhà em', 'hồ sơ htx', 'phiếu đăng ký', 'hồ sơ cá nhân',
    'mục hồ sơ',
  ],
  /** Something already sent ("đã gửi", "đăng ký rồi"). */
  submitted: [
    'đã gửi', 'đã nộp', 'đã đăng ký', 'gửi rồi', 'nộp rồi', 'đăng ký rồi', 'đã điền', 'vừa gửi', 'vừa nộp', 'gửi hôm', 'nộp hôm',
    'gửi phiếu rồi', 'nộp phiếu rồi', 'đã gửi phiếu', 'hôm trước', 'tuần trước', 'tháng trước', 'hôm qua', 'lần trước',
  ],
  /** The state of a submission. */
  status: [
    'tình trạng', 'trạng thái', 'tiến độ', 'đến đâu', 'tới đâu', 'duyệt chưa', 'được duyệt', 'kết quả', 'xét duyệt',
    'kiểm tra', 'tra cứu', 'thế nào rồi', 'sao rồi', 'ra sao rồi', 'có gì mới', 'đã nhận chưa', 'nhận được chưa', 'xử lý',
    'theo dõi', 'bổ sung', 'tiếp nhận chưa', 'được tiếp nhận', 'đã tiếp nhận', 'danh sách', 'có ai xem', 'bị từ chối',
    'ở bước nào', 'bước nào rồi', 'đang ở đâu', 'đến bước nào', 'xét chưa', 'có kết quả chưa', 'đỗ chưa', 'đạt chưa',
  ],
  /** Looking at something ("xem", "mở"): a weak sign of "Hồ sơ của tôi". */
  look: ['xem', 'xem lại', 'mở', 'hiển thị', 'cho xem', 'coi', 'tra giúp', 'đọc lại', 'vào mục', 'liệt kê'],
  /** Announcements. */
  news: [
    'thông báo', 'tin tức', 'tin ocop', 'nhận tin', 'bản tin', 'tin mới', 'tin', 'lịch đánh giá', 'hội chợ', 'chính sách mới',
    'cập nhật', 'đợt đánh giá', 'đợt mới', 'tin nhắn', 'thông tin mới', 'văn bản mới', 'đợt chấm', 'quy định mới',
  ],
  subscribeVerb: [
    'nhận', 'đăng ký nhận', 'theo dõi', 'báo cho', 'gửi cho', 'cập nhật cho', 'nhận được', 'báo em', 'báo tôi', 'báo mình',
    'gửi em', 'gửi tôi', 'nhắn cho', 'nhắn em', 'nhắn tôi', 'báo giúp', 'báo với', 'gửi', 'bật', 'mở nhận', 'cho nhận',
  ],
  /** "Báo cho em khi có …": asking to be told of something to come. */
  notifyWhen: [
    'báo cho em khi', 'báo cho tôi khi', 'báo em khi', 'báo tôi khi', 'báo cho mình khi', 'thông báo cho em khi',
    'thông báo cho tôi khi', 'nhắn cho em khi', 'nhắn em khi', 'báo khi có', 'báo cho cháu khi', 'gửi tin cho em khi',
    'báo tin khi', 'được báo tin', 'được báo khi', 'được thông báo khi', 'nhận tin khi', 'thì gửi cho', 'thì nhắn', 'thì báo',
    'thì thông báo', 'từ nay có', 'mỗi khi có',
  ],
  unsubscribeVerb: [
    'hủy', 'huỷ', 'dừng', 'ngừng', 'thôi', 'không nhận', 'dừng gửi', 'không muốn nhận', 'bỏ theo dõi', 'stop', 'chặn', 'tắt',
    'hết nhận', 'khỏi gửi', 'đừng gửi', 'đừng nhắn', 'không gửi nữa', 'đừng báo', 'không cần nhận', 'bỏ đăng ký', 'bỏ nhận',
    'hủy đăng ký', 'thôi nhận',
  ],
  /** Asking for information rather than action. */
  infoAsk: [
    'hỏi', 'xin hỏi', 'cho hỏi', 'muốn hỏi', 'thắc mắc', 'cho biết', 'đề nghị cho biết', 'muốn biết', 'cần gì', 'giấy tờ gì', 'những gì', 'gồm', 'thế nào', 'như thế nào', 'làm sao', 'ở đâu', 'cho ai', 'bao giờ', 'khi nào',
    'điều kiện', 'thủ tục', 'quy trình', 'mất bao lâu', 'bao lâu', 'là gì', 'có mất phí', 'mất phí', 'phí', 'lệ phí',
    'bao nhiêu', 'mấy', 'ai', 'có cần', 'có phải', 'nộp đâu', 'gồm những', 'cần những', 'hướng dẫn cách', 'cách', 'tại sao',
    'vì sao', 'có bắt buộc', 'hết hạn', 'thời hạn', 'có được không', 'tiêu chí', 'như nào', 'là làm gì', 'làm gì',
    'nghĩa là', 'bước thứ mấy', 'bước mấy', 'trường hợp nào', 'thu hồi', 'có bị', 'theo quyết định nào', 'hồ sơ gồm',
  ],
  help: [
    'hướng dẫn sử dụng', 'hướng dẫn dùng', 'cách dùng', 'cách sử dụng', 'trợ giúp', 'giúp đỡ', 'help', 'dùng thế nào',
    'làm được gì', 'làm được những gì', 'biết làm gì', 'hỗ trợ gì', 'chức năng', 'sử dụng thế nào', 'dùng như nào',
    'tư vấn', 'cần tư vấn', 'cần hỗ trợ', 'giúp tôi với', 'giúp em với', 'giúp với',
    'trợ lý là gì', 'bot này là gì', 'giúp được gì', 'hỏi được gì', 'hỏi những gì', 'cần giúp đỡ', 'cứu', 'không biết dùng',
    'giúp được những gì',
    'giúp tôi những việc gì', 'làm được việc gì', 'có những chức năng gì', 'trả lời được những gì', 'hỏi được những gì',
    'nút nào', 'bấm nút', 'nhấn nút', 'bấm vào đâu', 'nhấn vào đâu', 'bắt đầu hỏi', 'dùng cái này', 'dùng sao', 'sử dụng sao',
    'hoạt động như thế nào', 'hoạt động thế nào', 'hoạt động ra sao', 'những chủ đề nào', 'chủ đề nào', 'cần nhờ', 'có rảnh không',
    'dùng trợ lý', 'dùng bot',
  ],
  /** Who or what the assistant is. */
  identity: [
    'bạn là ai', 'bot là ai', 'em là ai', 'trợ lý là ai', 'bot tên gì', 'bạn tên gì', 'em tên gì', 'trợ lý tên gì',
    'người thật', 'là máy', 'robot', 'người hay máy', 'máy trả lời', 'ai đang trả lời', 'ai trả lời', 'có phải người',
    'hay máy', 'máy hay người', 'người máy',
  ],
  menu: [
    'menu', 'danh mục', 'trang chủ', 'quay về menu', 'về menu', 'bắt đầu lại', 'xem menu', 'mở menu', 'lựa chọn',
    'menu chính', 'quay lại menu', 'về menu chính', 'quay lại menu chính', 'màn hình chính', 'các mục', 'chức năng chính',
    'xem menu chính', 'hiển thị menu', 'danh mục chức năng', 'hiển thị danh mục', 'show menu', 'cho xem menu',
    'trang đầu', 'màn hình đầu', 'danh mục chính', 'mở menu chính', 'về trang đầu', 'quay về trang chủ', 'menu đâu',
    'danh sách lựa chọn', 'các lựa chọn', 'chủ đề chính', 'các chủ đề', 'mục chính',
  ],
  /** How one feels ("mệt quá", "hôm nay vui quá"): small talk. */
  feeling: ['hài lòng', 'trả lời nhanh', 'nhanh quá', 'giỏi quá', 'tận tình', 'dễ hiểu', 'hơi mệt', 'mệt quá', 'vui quá', 'buồn quá', 'chán quá', 'mệt', 'vui', 'buồn', 'khỏe', 'bận quá', 'hay quá', 'tuyệt quá', 'bán được nhiều hàng'],
  /** Saying that a question is coming, without asking it ("cho em hỏi cái này", "hỏi chút"). */
  askAhead: ['hỏi', 'xin hỏi', 'cho hỏi', 'muốn hỏi', 'thắc mắc', 'muốn biết', 'hỏi thăm', 'có câu hỏi', 'có việc'],
  /** What such a message asks about, when it names nothing. */
  vague: [
    'cái này', 'việc này', 'chuyện này', 'vấn đề này', 'cái', 'chút', 'tí', 'xíu', 'chút xíu', 'một chút', 'một tí', '1 chút',
    '1 tí', 'một câu', '1 câu', 'mấy câu', 'vài câu', 'mấy việc', 'vài việc', 'một việc', 'một vấn đề', 'vấn đề', 'được không',
    'được ko', 'ạ', 'nhé', 'với',
  ],
  topics: ['các chủ đề chính', 'hỏi về ocop', 'tìm hiểu ocop', 'tìm hiểu về ocop', 'hỏi đáp ocop', 'hỏi ocop'],
  more: ['xem thêm', 'chi tiết', 'thêm nữa', 'nói thêm', 'rõ hơn', 'cụ thể hơn', 'đầy đủ', 'đọc thêm', 'kể thêm', 'chi tiết hơn', 'giải thích thêm', 'nói rõ hơn'],
  greeting: [
    'xin chào', 'chào', 'hello', 'helo', 'hi', 'alo', 'a lô', 'hế lô', 'chào bạn', 'chào em', 'chào ad', 'chào bot', 'hey',
    'chào buổi sáng', 'chào buổi chiều', 'chào buổi tối', 'ad ơi', 'admin ơi', 'bot ơi', 'có ai không', 'trợ lý ơi',
    'xin chào trợ lý', 'chào anh', 'chào chị', 'chào cháu', 'chúc', 'buổi sáng', 'tốt lành', 'chúc buổi sáng tốt lành',
    'chúc ngày mới', 'ngày mới', 'vui vẻ', 'chào cả nhà', 'chào mọi người', 'em chào', 'cháu chào', 'chào ạ',
    'kính chào', 'kính gửi', 'xin kính chào',
  ],
  thanks: [
    'cảm ơn', 'cám ơn', 'cảm ơn nhiều', 'cảm ơn em', 'cảm ơn bạn', 'cảm ơn ad', 'thank you', 'cảm ơn nhé', 'đã cảm ơn',
    'thanks', 'cảm ơn ạ', 'cám ơn nhiều', 'biết ơn', 'cảm ơn nha', 'xin cảm ơn', 'xin cám ơn', 'trân trọng cảm ơn',
  ],
  ack: [
    'ok', 'vâng', 'dạ', 'ừ', 'uh', 'um', 'uk', 'được rồi', 'hiểu rồi', 'rõ rồi', 'biết rồi', 'tốt', 'tốt quá', 'hay quá',
    'tuyệt', 'ok rồi', 'dạ vâng', 'vâng ạ', 'dạ ạ', 'ok ạ', 'đã hiểu', 'đã rõ', 'đã biết', 'ổn rồi', 'được', 'đúng rồi',
    'chuẩn', 'nhất trí', 'yes', 'oke', 'okie', 'okay', 'hiểu', 'rồi', 'à', 'ồ', 'vậy à', 'thế à', 'ra vậy', 'hay đấy',
  ],
  goodbye: [
    'tạm biệt', 'bye', 'bai bai', 'bye bye', 'hẹn gặp lại', 'chào nhé', 'chào tạm biệt', 'good bye', 'thôi nhé', 'đi đây',
    'chào nha', 'hẹn hôm khác', 'chào bạn nhé', 'chào em nhé', 'chào ad nhé', 'chào bot nhé', 'chào trợ lý nhé',
  ],
  back: ['quay lại', 'quay về', 'trở lại', 'lùi lại', 'back', 'bước trước', 'sửa bước trước', 'lại bước trước', 'câu trước'],
  cancel: [
    'hủy', 'huỷ', 'hủy đăng ký', 'hủy phiếu', 'hủy bỏ', 'thoát', 'cancel', 'bỏ phiếu', 'không đăng ký nữa', 'thôi không đăng ký',
    'dừng đăng ký', 'hủy đi', 'không làm nữa', 'bỏ đi', 'thôi', 'không điền nữa', 'dừng lại', 'thôi hủy',
  ],
  skip: [
    'bỏ qua', 'skip', 'không có', 'chưa có', 'không cần', 'không có email', 'không có ạ', 'để trống', 'không', 'bỏ trống',
    'qua bước', 'tiếp', 'sang bước tiếp', 'chưa có email', 'không dùng email', 'không có gì', 'không muốn', 'khỏi',
  ],
  pause: ['tạm dừng', 'để sau', 'lát nữa', 'tạm nghỉ', 'lúc khác', 'để mai', 'điền sau', 'làm sau', 'khi khác'],
  submit: ['gửi đăng ký', 'gửi', 'gửi phiếu', 'xác nhận', 'đồng ý gửi', 'nộp', 'nộp phiếu', 'gửi đi', 'hoàn tất', 'xong'],
  edit: ['sửa', 'sửa mục', 'chỉnh sửa', 'đổi', 'thay đổi', 'sửa lại'],
} as const satisfies Record<string, readonly string[]>;

export type Concept = keyof typeof CONCEPTS;

/** Phrases that read as one request on their own, whatever else the message holds (folded, whole message). */
export const WHOLE_MESSAGE_REQUESTS: Readonly<Partial<Record<RequestKind, readonly string[]>>> = {
  register: ['dang ky y tuong san pham', 'dang ky y tuong', 'dien phieu', 'phieu dang ky', 'dien phieu dang ky', 'dien phieu y tuong', 'lam phieu dang ky'],
  profile: ['ho so cua toi', 'xem ho so', 'ho so', 'ho so cua em', 'tra cuu ho so', 'kiem tra ho so', 'trang thai ho so', 'tinh trang ho so'],
  subscribe: ['nhan thong bao', 'dang ky nhan tin', 'dang ky nhan thong bao', 'nhan tin', 'nhan tin ocop', 'theo doi tin'],
  unsubscribe: ['huy nhan', 'unsub', 'unsubscribe', 'huy nhan thong bao', 'huy nhan tin', 'huy dang ky nhan tin', 'dung nhan tin', 'dung nhan thong bao', 'khong nhan thong bao nua', 'ngung nhan tin', 'stop'],
  classify: ['san pham cua toi thuoc nhom nao', 'phan loai san pham', 'tra nhom san pham', 'san pham thuoc nhom nao'],
  topics: ['hoi ve ocop'],
  menu: ['menu', 'xem menu'],
  help: ['huong dan', 'tro giup', 'help', 'giup do', 'giup voi', 'lam duoc gi', 'lam duoc nhung gi', 'giup duoc gi', 'bot lam duoc gi'],
  identity: ['ban la ai', 'bot la ai'],
};

/** Words that add nothing to a request's meaning ("cảm ơn bot nhiều nhé", "cho xem với"). Folded. */
export const REQUEST_FILLERS: readonly string[] = ['oi', 'nhieu', 'lam', 'qua', 'nhe', 'nha', 'a', 'ad', 'admin', 'bot', 'tro', 'ly', 'ban', 'voi', 'cho', 'hoi', 'xem', 'giup', 'di'];

/**
 * One's own submissions, read from how they are spoken of (folded): the things submitted, the words for
 * sending them, and who may have sent them ("phiếu bà gửi", "các phiếu mà tôi đã nộp", "e gửi mấy phiếu rồi").
 */
export const SUBMISSION_NOUNS: readonly string[] = ['phieu', 'ho so', 'hs', 'y tuong', 'idea', 'don', 'dang ky', 'ho so ca nhan', 'tai khoan'];
export const SENDING_VERBS: readonly string[] = ['gui', 'nop', 'dang ky', 'khai', 'dien', 'submit'];
/** Verbs of what happens to a submission, asked with "… chưa?" ("cán bộ xem chưa", "nhận phiếu của em chưa"). Folded. */
export const HANDLING_VERBS: readonly string[] = ['nhan', 'xem', 'duyet', 'xu ly', 'tiep nhan', 'cham', 'kiem tra', 'gui duoc', 'nop duoc', 'duoc'];
export const SENDERS: readonly string[] = [
  'toi', 'em', 'minh', 'mk', 'mik', 'chau', 'chi', 'anh', 'bac', 'con', 'ba', 'ong', 'co', 'chu', 'chung toi', 'chung em',
  'nha em', 'nha toi', 'htx', 'hop tac xa', 'co so', 'gia dinh',
];
/** A question about what a submission needs ("hồ sơ của tôi cần những gì"), not about its state. Folded. */
export const REQUIREMENT_CUES: readonly string[] = ['can nhung', 'can gi', 'gom nhung', 'gom gi', 'phai co', 'bat buoc', 'can co', 'can giay', 'co can', 'nop o dau', 'nop cho ai', 'ghi gi', 'ghi nhung'];

/** Words that introduce a product's name ("sản phẩm trà", "loại rượu", "mặt hàng miến"): no compound with it. Folded. */
export const PRODUCT_INTRODUCERS: readonly string[] = ['pham', 'sp', 'loai', 'hang', 'mon', 'nhom', 'cac', 'nhung', 'lam', 'ban', 'trong', 'nuoi', 'nau'];

/** Registering without naming the idea form ("đăng ký OCOP", "đăng ký sản phẩm"): may be the evaluation. Folded. */
export const REGISTER_UNSPECIFIED: readonly string[] = ['dang ky', 'dang ky ocop', 'dang ky san pham', 'dang ky tham gia ocop', 'dang ky san pham ocop', 'dang ky tham gia', 'dang ky chuong trinh ocop'];
/** Words that name the idea form itself: with them, registering means the form. Folded. */
export const FORM_OBJECTS: readonly string[] = ['y', 'tuong', 'phieu'];

/**
 * Words that alone could stop announcements but may mean something else ("dung" is also "đúng"): confirm first.
 * Folded. Those in AMBIGUOUS_CANCEL cancel what is being filled in, if anything.
 */
export const AMBIGUOUS_UNSUBSCRIBE: readonly string[] = ['dung', 'stop', 'dung lai', 'ngung', 'tat', 'khong nhan', 'chan', 'ngung lai', 'dung di'];
export const AMBIGUOUS_CANCEL: readonly string[] = ['huy', 'thoi', 'huy bo', 'huy di', 'thoi nhe', 'thoi khong', 'ket thuc', 'thoat'];

/**
 * Phrases in which a concept's words mean something else: "đăng ký kinh doanh" and "giấy đăng ký" are papers,
 * "đăng ký của tôi" is a submission, not the act of registering. A concept's match inside one of them is dropped.
 */
export const NOT_THE_CONCEPT: Readonly<Partial<Record<Concept, readonly string[]>>> = {
  infoAsk: ['làm thủ tục đăng ký'],
  registerVerb: [
    'đăng ký kinh doanh', 'giấy đăng ký', 'đăng ký nhãn hiệu', 'đăng ký mã vạch', 'đăng ký mã số', 'đăng ký bảo hộ',
    'đăng ký doanh nghiệp', 'đăng ký hộ kinh doanh', 'đăng ký thành lập', 'đăng ký sở hữu trí tuệ', 'đăng ký kiểu dáng',
    'đăng ký chất lượng', 'đăng ký công bố', 'đăng ký của tôi', 'đăng ký của em', 'đăng ký của mình', 'đăng ký của chị',
    'đăng ký của anh', 'đăng ký của bác', 'đăng ký của cháu', 'đăng ký đã gửi', 'đăng ký đã nộp', 'đăng ký nhận',
  ],
};

/**
 * A frame counts only when the message names what it acts on: registering needs a verb of registering or of
 * taking part, announcements need announcements, "Hồ sơ của tôi" needs a submission. "Giúp tôi phân biệt …" wants
 * help with a question, not the form.
 */
export const FRAME_NEEDS: Readonly<Partial<Record<RequestKind, readonly (Concept | 'possessive')[]>>> = {
  register: ['registerVerb', 'join'],
  profile: ['profileObject', 'possessive', 'status', 'submitted'],
  subscribe: ['news', 'notifyWhen'],
  unsubscribe: ['unsubscribeVerb'],
  help: ['help'],
};

/**
 * Weights of the request frames: for each request, the concepts that make it and how much each counts. A
 * message's request is the frame with the highest score above REQUEST_THRESHOLD; a question cue (infoAsk)
 * counts against the action frames; two frames within REQUEST_MARGIN of each other are asked about.
 */
export const REQUEST_FRAMES: Readonly<Partial<Record<RequestKind, Partial<Record<Concept | 'questionForm' | 'possessive', number>>>>> = {
  register: {
    registerVerb: 1.2, join: 0.5, registerObject: 0.6, desire: 0.9, hereNow: 0.6, infoAsk: -1.4, questionForm: -0.5,
    possessive: -0.6, submitted: -1.2, status: -0.8, news: -1.2,
  },
  profile: {
    profileObject: 0.6, possessive: 1.0, status: 0.9, submitted: 0.8, look: 0.4, desire: 0.2, registerVerb: -0.8, infoAsk: -0.8,
    questionForm: -0.1,
  },
  subscribe: { news: 1.0, subscribeVerb: 0.9, notifyWhen: 1.8, desire: 0.4, hereNow: 0.2, infoAsk: -1.3, unsubscribeVerb: -1.5, questionForm: -0.4 },
  unsubscribe: { news: 0.8, unsubscribeVerb: 1.3, desire: 0.2, infoAsk: -1.3, questionForm: -0.4 },
  help: { help: 2.0, infoAsk: -0.3 },
};
/** The score a frame needs: lower for requests that change nothing (showing "Hồ sơ của tôi", the help). */
export const REQUEST_THRESHOLDS: Readonly<Partial<Record<RequestKind, number>>> = { register: 1.6, profile: 1.3, subscribe: 1.6, unsubscribe: 1.8, help: 1.6 };
export const REQUEST_THRESHOLD = 1.6;
export const REQUEST_MARGIN = 0.5;

// ---------------------------------------------------------------------------------------------------------
// Pronouns: how the writer speaks of themselves and to the bot

export type AddressForm = 'default' | 'em' | 'anh' | 'chi' | 'bac' | 'chu' | 'co' | 'ong' | 'ba' | 'chau' | 'anh_chi';

/** Pronouns a writer uses for themselves (with their accents) → the address form the bot answers in. */
export const SELF_PRONOUNS: Readonly<Record<string, AddressForm>> = {
  em: 'em', anh: 'anh', 'chị': 'chi', 'bác': 'bac', 'chú': 'chu', 'cô': 'co', 'ông': 'ong', 'bà': 'ba', 'cháu': 'chau',
  'tôi': 'default', 'mình': 'default', 'tớ': 'default', tui: 'default',
};
/** Words after which a pronoun names the one spoken to ("chào em", "cảm ơn em", "em ơi"), folded. */
export const VOCATIVE_BEFORE: readonly string[] = ['chao', 'cam on', 'cam', 'hoi', 'nho', 'goi', 'thua', 'nay', 'giup'];
export const VOCATIVE_AFTER: readonly string[] = ['oi'];
/**
 * Words by which the writer calls the bot ("… là gì vậy chị", "chị ơi, …"): after a closing particle or a
 * question word at the end of a clause, or before "ơi", they are no content. Folded.
 */
export const VOCATIVES: readonly string[] = ['chi', 'anh', 'em', 'chau', 'bac', 'chu', 'co', 'ad', 'admin', 'ban', 'bot', 'tro ly', 'ong', 'ba', 'di', 'me', 'bo'];
/** What a vocative at the end follows: a closing particle or a question word. Folded. */
export const BEFORE_VOCATIVE: readonly string[] = ['gi', 'j', 'nao', 'dau', 'sao', 'khong', 'ko', 'k', 'hok', 'chua', 'vay', 'v', 'the', 'a', 'nhe', 'nha', 'nhi', 'ha', 'voi', 'di', 'nhieu', 'khong a', 'duoc khong', 'bao nhieu', 'bn', 'may', 'ai', 'oi'];
/** Words after which a pronoun is the writer ("cho em hỏi", "nhà em", "của chị"), folded. */
export const SELF_BEFORE: readonly string[] = ['cho', 'nha', 'cua', 'gia dinh', 'htx', 'ho', 'xa', 'la', 'de', 'giup', 'voi', 'ma'];

// ---------------------------------------------------------------------------------------------------------
// Entities

/** Words that introduce a document number ("QĐ 148", "Quyết định số 1048/QĐ-TTg"), folded. */
export const DOCUMENT_PREFIXES: Readonly<Record<string, string>> = {
  'quyet dinh': 'QĐ', qd: 'QĐ', 'nghi quyet': 'NQ', nq: 'NQ', 'nghi dinh': 'NĐ', nd: 'NĐ', 'ke hoach': 'KH', kh: 'KH',
  'thong tu': 'TT', 'cong van': 'CV', 'bo tieu chi': 'QĐ', 'van ban': 'QĐ', 'bo tieu chi qd': 'QĐ',
};
/** Number words (folded) for star levels and ordinals. */
export const NUMBER_WORDS: Readonly<Record<string, number>> = {
  mot: 1, nhat: 1, hai: 2, nhi: 2, ba: 3, bon: 4, tu: 4, nam: 5, sau: 6, bay: 7, tam: 8, chin: 9, muoi: 10,
};
/** Ordinal phrases (folded) that do not use a number. */
export const ORDINAL_WORDS: Readonly<Record<string, number>> = {
  'dau tien': 1, 'thu nhat': 1, 'cuoi cung': -1, 'cuoi': -1, 'sau cung': -1,
};
/** Nouns an ordinal counts ("bước thứ 3", "nhóm thứ hai"), folded. */
export const ORDINAL_NOUNS: readonly string[] = ['buoc', 'nhom', 'giai doan', 'muc', 'phan', 'tieu chi', 'y', 'khau', 'nganh', 'muc tieu', 'hang'];
/** Parts of the OCOP criteria, by letter. */
export const CRITERIA_PARTS: readonly string[] = ['a', 'b', 'c'];

/**
 * Vietnam's provinces: the 34 after 1/7/2025 and the former 63, without "tỉnh"/"thành phố". A question about
 * another province's own affairs is answered only from a passage that names it.
 */
export const PROVINCES: readonly string[] = [
  'Hà Nội', 'Huế', 'Thừa Thiên Huế', 'Lai Châu', 'Điện Biên', 'Sơn La', 'Lạng Sơn', 'Quảng Ninh', 'Thanh Hóa',
  'Nghệ An', 'Hà Tĩnh', 'Cao Bằng', 'Tuyên Quang', 'Hà Giang', 'Lào Cai', 'Yên Bái', 'Thái Nguyên', 'Bắc Kạn',
  'Phú Thọ', 'Vĩnh Phúc', 'Hòa Bình', 'Bắc Ninh', 'Bắc Giang', 'Hưng Yên', 'Thái Bình', 'Hải Phòng', 'Hải Dương',
  'Ninh Bình', 'Hà Nam', 'Nam Định', 'Quảng Trị', 'Quảng Bình', 'Đà Nẵng', 'Quảng Nam', 'Quảng Ngãi', 'Kon Tum',
  'Gia Lai', 'Bình Định', 'Khánh Hòa', 'Ninh Thuận', 'Lâm Đồng', 'Đắk Nông', 'Bình Thuận', 'Đắk Lắk', 'Phú Yên',
  'Hồ Chí Minh', 'Bình Dương', 'Bà Rịa Vũng Tàu', 'Đồng Nai', 'Bình Phước', 'Tây Ninh',
  'Long An', 'Cần Thơ', 'Sóc Trăng', 'Hậu Giang', 'Vĩnh Long', 'Bến Tre', 'Trà Vinh', 'Đồng Tháp', 'Tiền Giang',
  'Cà Mau', 'Bạc Liêu', 'An Giang', 'Kiên Giang',
];
/** Other names of a province ("Sài Gòn" for Hồ Chí Minh): read as that province. */
export const PROVINCE_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'Hồ Chí Minh': ['Sài Gòn', 'TP HCM', 'TPHCM', 'HCM', 'Sài Thành'],
  'Bà Rịa Vũng Tàu': ['Vũng Tàu', 'Bà Rịa'],
  'Thừa Thiên Huế': ['TT Huế'],
};
/** The province this assistant serves. */
export const HOME_PROVINCE = 'Cao Bằng';
/**
 * Where a figure holds, for follow-ups ("cả nước có bao nhiêu sản phẩm OCOP?" → "thế còn Cao Bằng mình?"):
 * the whole country, or the home province. Folded.
 */
export const SCOPE_WORDS: Readonly<Record<'national' | 'home', readonly string[]>> = {
  national: ['ca nuoc', 'toan quoc', 'tren ca nuoc', 'viet nam', 'trung uong'],
  home: ['cao bang', 'tinh minh', 'tinh nha', 'tinh ta', 'cb', 'toan tinh', 'tinh cao bang'],
};
/** Words that make a following place name a province ("tỉnh Lạng Sơn", "TP Hồ Chí Minh"), folded. */
export const PROVINCE_PREFIXES: readonly string[] = ['tinh', 'thanh pho', 'tp'];

// ---------------------------------------------------------------------------------------------------------
// Out of scope: questions the knowledge base never answers, whatever words they share with it

export type OutOfScope = 'price' | 'person' | 'opinion' | 'prediction' | 'other_province' | 'weather' | 'instructions' | 'recipe';

/** Phrases (with their accents) per kind of question the assistant does not answer; each kind has its own reply. */
export const OUT_OF_SCOPE_CUES: Readonly<Record<Exclude<OutOfScope, 'other_province' | 'person'>, readonly string[]>> = {
  price: [
    'giá bán', 'giá thị trường', 'giá bao nhiêu', 'bao nhiêu tiền một', 'bao nhiêu tiền 1', 'giá một', 'giá 1 kg',
    'giá thế nào', 'bán giá', 'giá cả', 'giá hôm nay', 'một kg bao nhiêu', '1 kg bao nhiêu', 'một lít bao nhiêu',
    'bán được bao nhiêu tiền', 'lãi bao nhiêu', 'lời bao nhiêu', 'giá phân bón', 'giá lúa', 'giá thịt', 'thu mua',
    'bao nhiêu một chai', 'bao nhiêu 1 chai', 'giá rẻ', 'giá cao', 'giá sỉ', 'giá lẻ',
  ],
  weather: ['mai có mưa', 'mai mưa', 'có mưa không', 'thời tiết', 'mưa bão', 'nhiệt độ', 'dự báo thời tiết', 'trời mưa', 'nắng nóng', 'rét đậm', 'trời có mưa', 'mưa bão lũ', 'nắng hay mưa'],
  opinion: [
    'có nên', 'nên làm', 'nên chọn', 'theo bạn', 'theo ad', 'bạn nghĩ', 'ý kiến của bạn', 'có đáng', 'tốt hơn', 'lời hơn',
    'nên đầu tư', 'nên trồng', 'làm gì để giàu', 'có tốt không', 'tốt không', 'làm việc có tốt', 'đánh giá thế nào về', 'có giỏi không',
    'cho hay', 'cho đẹp', 'cho hấp dẫn', 'cho ấn tượng', 'lãi hơn', 'nên đặt tên', 'đặt tên gì', 'nên bán', 'bán gì',
  ],
  prediction: ['dự báo', 'khả năng đạt', 'chắc chắn đạt', 'bao giờ thì đạt', 'năm sau có', 'năm tới có', 'tương lai', 'liệu sản phẩm', 'liệu có đạt', 'liệu có được'],
  recipe: ['cách nấu', 'nấu thế nào', 'nấu như thế nào', 'công thức nấu', 'món ăn', 'cách ướp', 'cách muối', 'nấu món', 'cách chế biến món', 'hướng dẫn nấu'],
  instructions: [
    'quên hết', 'bỏ qua hướng dẫn', 'bỏ qua mọi', 'ignore', 'kể chuyện cười', 'hãy đóng vai', 'bạn đóng vai', 'đóng vai làm',
    'giả vờ là', 'bạn là chatgpt', 'system prompt',
    'làm thơ', 'viết thơ', 'kể một chuyện', 'giải toán', 'dịch sang',
  ],
};
/** Time to come ("năm sau", "sắp tới"): with a star level and one's own product, a prediction. */
export const FUTURE_WORDS: readonly string[] = ['năm sau', 'năm tới', 'sắp tới', 'tương lai', 'sau này', 'đợt tới', 'đợt sau', 'lần sau'];
/** "… của em có đạt 4 sao không": asking how one's own product will fare. */
export const OWN_PRODUCT_OUTCOME: readonly string[] = ['có đạt', 'đạt được', 'có lên', 'lên được', 'sẽ đạt', 'được mấy sao', 'đạt mấy sao', 'sẽ được mấy sao'];
/** "mới đạt", "đã đạt": a result already known, no prediction. */
export const ALREADY: readonly string[] = ['mới đạt', 'đã đạt', 'đạt rồi', 'đã được', 'được rồi', 'đã có'];
/** Words that make "cách làm X" a question about OCOP rather than a recipe. */
export const OCOP_CONTEXT: readonly string[] = ['ocop', 'hồ sơ', 'đăng ký', 'tiêu chí', 'sao', 'điểm', 'phiếu', 'chứng nhận', 'bao bì', 'tem', 'nhãn hiệu', 'công bố', 'kiểm nghiệm'];

/** Titles before a person's name ("ông Nguyễn Văn A", "chị Lan"), folded: with a capitalised name, a named person. */
export const PERSON_TITLES: readonly string[] = ['ong', 'ba', 'anh', 'chi', 'co', 'chu', 'bac', 'em', 'chau', 'di', 'thim', 'mo', 'cau', 'gia dinh'];
/** Words that make a question about a named person's own file ("hồ sơ của ông …", "… được mấy sao"). */
export const PERSON_FILE_CUES: readonly string[] = ['hồ sơ', 'được mấy sao', 'đạt mấy sao', 'kết quả', 'điểm của', 'sản phẩm của', 'giấy chứng nhận của', 'phiếu của', 'số điện thoại', 'địa chỉ nhà', 'sđt'];

// ---------------------------------------------------------------------------------------------------------
// Follow-ups

/** Folded phrases that open a follow-up to the previous question ("còn giai đoạn 2021-2025 thì sao?"). */
export const FOLLOW_UP_OPENERS: readonly string[] = ['con', 'the con', 'vay con', 'con ve', 'the', 'vay', 'con neu', 'con voi', 'rieng', 'con cai', 'the thi', 'vay thi', 'the cac', 'the ve'];
/** Folded phrases that close a follow-up ("… thì sao?", "… thì thế nào?"). */
export const FOLLOW_UP_CLOSERS: readonly string[] = ['thi sao', 'thi the nao', 'thi nhu the nao', 'thi ra sao', 'the nao', 'sao', 'thi', 'thi bao nhieu', 'thi sao a', 'nua', 'thi nhu nao'];
/** Words that point back at the previous answer ("cái đó nộp ở đâu", "nó có hạn bao lâu"), folded. */
export const BACK_REFERENCES: readonly string[] = ['cai do', 'cai nay', 'no', 'viec do', 'viec nay', 'trong do', 'trong so do', 'nhu vay', 'o do', 'khi do', 'luc do'];
/** Words that point at something just named ("quyết định đó", "giai đoạn này"), folded. */
export const DEMONSTRATIVES: readonly string[] = ['do', 'nay', 'ay', 'kia', 'tren', 'vua roi', 'vua noi'];
/** A follow-up this short (content words) may continue the previous question even without saying so. */
export const SHORT_FOLLOW_UP_WORDS = 5;
/** A follow-up with this many content words of its own asks with them; the earlier question's words weigh less. */
export const OWN_QUESTION_WORDS = 3;
/** A follow-up must come within this long of the previous question. */
export const FOLLOW_UP_WINDOW_MS = 30 * 60 * 1000;

// ---------------------------------------------------------------------------------------------------------
// Registration form answers

/** Short yes / no answers, written with their accents. */
export const YES_WORDS: readonly string[] = [
  'có', 'rồi', 'có rồi', 'đã có', 'đã có rồi', 'có chứ', 'yes', 'ok', 'oke', 'okay', 'okie', 'ừ', 'uh', 'uhm', 'ừm', 'uk',
  'đúng', 'đúng rồi', 'đúng vậy', 'vâng', 'dạ', 'dạ vâng', 'đồng ý', 'được', 'được rồi', 'có đăng ký', 'đã đăng ký',
  'đăng ký rồi', 'chuẩn', 'chính xác', 'phải', 'phải rồi',
];
export const NO_WORDS: readonly string[] = [
  'không', 'không có', 'ko', 'k', 'kh', 'khg', 'kg', 'hok', 'hông', 'chưa', 'chưa có', 'chưa đăng ký', 'không đăng ký',
  'chưa có đâu', 'không có đâu', 'no', 'sai', 'không đúng', 'không phải', 'không đồng ý', 'khum',
];
/** Politeness and filler at either end of a short answer: "có ạ", "dạ không", "chưa anh ơi". */
export const ANSWER_FILLERS: readonly string[] = [
  'ạ', 'à', 'a', 'dạ', 'vâng', 'nhé', 'nhe', 'nha', 'nhá', 'ha', 'hả', 'ơi', 'thưa', 'em', 'anh', 'chị', 'cô', 'chú',
  'bác', 'tôi', 'mình', 'tớ', 'bạn', 'ad', 'admin', 'luôn', 'mà', 'đâu', 'vậy', 'thế', 'nhỉ', 'á', 'ấy', 'là', 'thì',
  'rồi', 'ạh', 'cháu',
];
/** Words that turn what follows into its opposite ("không phải htx", "chưa có"), folded. */
export const NEGATIONS: readonly string[] = ['khong', 'chua', 'chang', 'cha', 'ko', 'k'];
/** Words allowed between a negation and what it negates ("không phải là htx"), folded. */
export const NEGATION_GAP: readonly string[] = ['phai', 'la', 'con', 'duoc', 'o', 'tu', 'co'];

/** Owner types in typed answers: phrase (with accents) → type. Longest phrases win. */
export const OWNER_TYPE_PHRASES: readonly (readonly [string, 'cooperative' | 'cooperative_group' | 'enterprise' | 'household' | 'individual', (readonly string[])?])[] = [
  ['hợp tác xã', 'cooperative'],
  ['tổ hợp tác', 'cooperative_group'],
  ['doanh nghiệp', 'enterprise'],
  ['công ty', 'enterprise'],
  ['tnhh', 'enterprise'],
  ['hộ kinh doanh', 'household'],
  ['hộ sản xuất', 'household'],
  ['hộ gia đình', 'household'],
  ['hộ', 'household', ['so', 'tro', 'va', 'ten', 'chieu', 'khau']],
  ['cá nhân chưa đăng ký kinh doanh', 'individual'],
  ['cá nhân', 'individual'],
  ['người dân', 'individual'],
];
/** Shorthand read only in owner-type answers, folded. */
export const OWNER_TYPE_SHORTHAND: Readonly<Record<string, string>> = {
  hkd: 'hộ kinh doanh', hsx: 'hộ sản xuất', dntn: 'doanh nghiệp tư nhân', ct: 'công ty', cn: 'cá nhân',
};
/** Shorthand worth expanding when reading a form answer (others, like "a" → anh, only add noise), folded. */
export const FORM_SHORTHAND: readonly string[] = ['htx', 'tht', 'dn', 'dnghiep', 'cty', 'kd', 'sx', 'sxkd', 'ko', 'k', 'kh', 'kg', 'khg', 'hok', 'dk', 'dki', 'dky', 'r'];

/** Where raw material comes from, in typed answers: phrase (with accents) → cue. */
export const RAW_MATERIAL_PHRASES: readonly (readonly [string, 'local' | 'outside' | 'partly'])[] = [
  ['một phần', 'partly'], ['một ít', 'partly'], ['một nửa', 'partly'], ['phần lớn', 'partly'], ['cả hai', 'partly'],
  ['kết hợp', 'partly'], ['mua ngoài', 'outside'], ['mua nơi khác', 'outside'], ['nơi khác', 'outside'],
  ['tỉnh khác', 'outside'], ['ngoài tỉnh', 'outside'], ['tỉnh ngoài', 'outside'], ['nhập', 'outside'],
  ['nhập khẩu', 'outside'], ['nước ngoài', 'outside'], ['trung quốc', 'outside'], ['địa phương', 'local'],
  ['tại chỗ', 'local'], ['của xã', 'local'], ['trong xã', 'local'], ['trong thôn', 'local'], ['trong bản', 'local'],
  ['trong tỉnh', 'local'], ['tự trồng', 'local'], ['tự nuôi', 'local'], ['tự làm', 'local'], ['tự sản xuất', 'local'],
  ['nhà trồng', 'local'], ['nhà nuôi', 'local'], ['bà con', 'local'],
];
export const RAW_MATERIAL_SHORTHAND: Readonly<Record<string, string>> = { dp: 'địa phương', '1': 'một' };

/** Labels that may touch a phone number: "sdt0912345678", "zalo0912345678", folded. */
export const PHONE_LABELS: readonly string[] = ['sdt', 'dt', 'so', 'sodt', 'tel', 'zalo', 'phone', 'mobile', 'didong', 'dd', 'hotline'];

// ---------------------------------------------------------------------------------------------------------
// Answers

/**
 * Openings of sentences that continue the one before ("Vì vậy, …", "Ví dụ: …"): such a sentence is never quoted
 * first, nor without the sentence it follows. Folded.
 */
export const CONTINUATION_OPENERS: readonly string[] = [
  'vi vay', 'do do', 'vi the', 'vi the nen', 'vi du', 'chang han', 'ngoai ra', 'tuy nhien', 'trong do', 'dong thoi',
  'ben canh do', 'nhu vay', 'cung', 'nhung', 'con', 'sau do', 'tiep theo', 'mat khac', 'ngoai', 'them vao do',
  'dieu nay', 'viec nay', 'no', 'cac san pham nay', 'san pham nay', 'nhom nay', 'buoc nay', 'hon nua',
];
/** Abbreviations that end with a dot inside a sentence ("TP. Hồ Chí Minh"): never a sentence end. */
export const DOTTED_ABBREVIATIONS: readonly string[] = ['TP', 'Tp', 'TS', 'ThS', 'PGS', 'GS', 'BS', 'KS', 'Th', 'St', 'Q', 'P', 'X', 'H', 'TT', 'v.v', 'Ths', 'Ông', 'Bà', 'ĐT', 'Đ/c', 'đ/c', 'tr', 'Tr'];

/**
 * The shorthand that curated knowledge text also uses (UBND, HTX, QĐ…), expanded there too so that "UBND" in a
 * passage and "uy ban nhan dan" in a question meet. Chat-only shorthand ("k", "j", "bn") stays out. Folded.
 */
export const KNOWLEDGE_ACRONYMS: readonly string[] = [
  'htx', 'tht', 'ubnd', 'hdnd', 'attp', 'ntm', 'vpdp', 'ptnt', 'qd', 'tw', 'sxkd', 'gcn', 'tmdt', 'sdt', 'nq', 'dntn',
];

/** Every phrase above that is written with its accents: the diacritic restorer learns chat usage from them. */
export function accentedPhrases(): string[] {
  return [
    ...Object.values(CONCEPTS).flat(), ...Object.values(ANSWER_TYPE_CUES).flat(), ...STOPWORDS, ...YES_WORDS, ...NO_WORDS,
    ...ANSWER_FILLERS, ...Object.values(SHORTHAND), ...OWNER_TYPE_PHRASES.map(([p]) => p), ...RAW_MATERIAL_PHRASES.map(([p]) => p),
  ];
}
